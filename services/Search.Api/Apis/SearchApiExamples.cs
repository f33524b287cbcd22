using Hive.ServiceDefaults;
using Microsoft.AspNetCore.OpenApi;
using Search.Api.Model;

namespace Search.Api.Apis;

/// <summary>
/// The examples in search's OpenAPI document: a search for "basket" that finds catalog's Kiondo basket,
/// built from the real records so each example has the wire shape of its schema (the document test validates them).
/// </summary>
internal static class SearchApiExamples
{
    private static readonly SearchHit Hit = new(
        42, "Kiondo basket", "kiondo-basket", 2400.00m, "KES", 3, "Nyeri Weavers", 5, "home-and-living", "Home and living",
        new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero), 0.61m,
        "Kiondo <mark>basket</mark>", "Hand-woven sisal <mark>basket</mark> with leather handles, 30 cm across.")
    {
        Image = new CardImage("/api/media/images/7?v=1&w=320&h=320&sig=c2lnbmVkLWJ5LW1lZGlh", "1QcSHQRnh493V4dIh4eXh1h4kJUI"),
    };

    private static readonly SearchFacets Facets = new(
        [new CategoryFacet(5, "home-and-living", "Home and living", 18)],
        [new PriceBucket(1000m, 5000m, 14), new PriceBucket(5000m, null, 4)]);

    public static void Add(OpenApiOptions options)
    {
        options.AddExample(new SearchResponse("basket", "relevance", [Hit], new SearchTotal(18, IsExact: true), Facets, NextCursor: "eyJyIjowLjYxLCJpIjo0Mn0.Zk9v3q1uYb4WcA"));
        options.AddExample(Hit);
        options.AddExample(Hit.Image!);
        options.AddExample(new SearchTotal(18, IsExact: true));
        options.AddExample(Facets);
        options.AddExample(Facets.Categories[0]);
        options.AddExample(Facets.Prices[0]);
        options.AddExample(new AutocompleteResponse("bas", [new Suggestion("basket", "query", 57), new Suggestion("Kiondo basket", "product", 12.5)]));
        options.AddExample(new Suggestion("basket", "query", 57));
        options.AddExample(new PopularSearches("day", [new PopularQuery("basket", 57), new PopularQuery("sandals", 41)]));
        options.AddExample(new PopularQuery("basket", 57));
    }
}
