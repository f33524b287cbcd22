using System.Net;
using System.Net.Http.Json;
using Search.Api.Model;

namespace Search.Api.Tests.Apis;

[Collection(SearchCollection.Name)]
public sealed class SearchRelevanceTests(SearchFixture fixture)
{
    [Fact]
    public async Task AnExactNameMatchRanksFirst()
    {
        var page = await SearchAsync("q=Samsung%20Galaxy%20A14");

        Assert.Equal("Samsung Galaxy A14", page.Hits[0].Name);
        // Every seller's listing of the exact name comes before the case that only mentions it.
        var firstOther = page.Hits.ToList().FindIndex(h => h.Name != "Samsung Galaxy A14");
        Assert.Equal(MarketplaceData.SellersPerProduct, firstOther);
    }

    [Fact]
    public async Task ANameMatchOutranksADescriptionMatch()
    {
        var page = await SearchAsync("q=samsung&pageSize=100");

        var names = page.Hits.Select(h => h.Name).ToList();
        var lastSamsungName = names.FindLastIndex(n => n.StartsWith("Samsung", StringComparison.Ordinal));
        var firstCase = names.IndexOf("Silicone Phone Case");
        Assert.True(firstCase > lastSamsungName, string.Join(", ", names));
        Assert.Contains("Fast Charger 25W", names);
    }

    [Theory]
    [InlineData("samsng", "Samsung")]
    [InlineData("samsung galxy", "Samsung Galaxy")]
    [InlineData("tecnno", "Tecno")]
    [InlineData("kiondoo", "Kiondo")]
    public async Task ATypoStillFindsTheProduct(string typo, string expectedPrefix)
    {
        var page = await SearchAsync($"q={Uri.EscapeDataString(typo)}");

        Assert.NotEmpty(page.Hits);
        Assert.StartsWith(expectedPrefix, page.Hits[0].Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kiond", "Kiondo")]
    [InlineData("sukum", "Sukuma Wiki")]
    [InlineData("mbegu maha", "Mbegu za Mahindi")]
    [InlineData("unga wa ng", "Unga wa Ngano")]
    public async Task ASwahiliPrefixMatches(string prefix, string expectedPrefix)
    {
        var page = await SearchAsync($"q={Uri.EscapeDataString(prefix)}");

        Assert.NotEmpty(page.Hits);
        Assert.All(page.Hits.Take(MarketplaceData.SellersPerProduct), h => Assert.StartsWith(expectedPrefix, h.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccentsDoNotMatterEitherWay()
    {
        var plain = await SearchAsync("q=kikoi%20beach");
        var accented = await SearchAsync("q=KIKO%C3%8D%20beach");

        Assert.Equal("Kikoí Beach Wrap", plain.Hits[0].Name);
        Assert.Equal(plain.Hits.Select(h => h.Id), accented.Hits.Select(h => h.Id));
        Assert.Contains("<mark>Kikoí</mark>", plain.Hits[0].NameHighlight, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HighlightsMarkMatchesAndEscapeProductText()
    {
        var page = await SearchAsync("q=kikoi&category=crafts-art");

        var hit = Assert.Single(page.Hits.Where(h => h.Name == "Kikoi").Take(1));
        Assert.Equal("<mark>Kikoi</mark>", hit.NameHighlight);
        Assert.Contains("<mark>kikoi</mark>", hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACategoryFilterNeverLeaksOtherCategoriesOnAnyPage()
    {
        var unfiltered = await SearchAsync("q=kikoi&pageSize=100");
        Assert.Contains(unfiltered.Hits, h => h.CategorySlug == "crafts-art");

        var seen = new List<SearchHit>();
        string? cursor = null;
        SearchResponse page;
        do
        {
            page = await SearchAsync("q=kikoi&category=fashion&pageSize=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.Hits);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.NotEmpty(seen);
        Assert.All(seen, h => Assert.Equal("fashion", h.CategorySlug));
        Assert.Equal(seen.Count, seen.Select(h => h.Id).Distinct().Count());
        Assert.Equal(page.Total.Value, seen.Count);
        // The category facet ignores the category filter, so the alternatives stay visible.
        Assert.Contains(page.Facets.Categories, f => f.Slug == "crafts-art" && f.Count > 0);
    }

    [Theory]
    [InlineData("relevance")]
    [InlineData("price")]
    [InlineData("newest")]
    public async Task PagesWalkTheWholeResultInOrderWithoutGapsOrRepeats(string sort)
    {
        var all = await SearchAsync($"q=samsung&sort={sort}&pageSize=100");
        var walked = new List<SearchHit>();
        string? cursor = null;
        do
        {
            var page = await SearchAsync($"q=samsung&sort={sort}&pageSize=4" + (cursor is null ? "" : $"&cursor={cursor}"));
            walked.AddRange(page.Hits);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Null(all.NextCursor);
        Assert.Equal(all.Hits.Select(h => h.Id), walked.Select(h => h.Id));
        Func<SearchHit, IComparable> key = sort switch
        {
            "price" => h => h.Price,
            "newest" => h => -h.CreatedAt.UtcTicks,
            _ => h => -h.Relevance,
        };
        Assert.Equal(walked.OrderBy(key).ThenBy(h => sort == "newest" ? -h.Id : h.Id).Select(h => h.Id), walked.Select(h => h.Id));
    }

    [Fact]
    public async Task PriceFiltersAndFacetsAgree()
    {
        var page = await SearchAsync("q=kikoi&minPrice=1200&maxPrice=1500&pageSize=100");

        Assert.All(page.Hits, h => Assert.InRange(h.Price, 1200m, 1500m));
        Assert.Equal(page.Hits.Count, page.Total.Value);
        Assert.True(page.Total.IsExact);
        Assert.Equal(5, page.Facets.Prices.Count);
        // Price buckets ignore the price filter: cheaper and dearer kikoi still show up there.
        Assert.True(page.Facets.Prices.Sum(b => b.Count) > page.Total.Value);
    }

    [Fact]
    public async Task NothingMatchingIsAnEmptyPage()
    {
        var page = await SearchAsync("q=zzqxv%20wwkj");

        Assert.Empty(page.Hits);
        Assert.Equal(0, page.Total.Value);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task AnUnchangedAnswerIsA304WithItsETag()
    {
        using var first = await fixture.Client.GetAsync("/api/search?q=jembe");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.NotNull(first.Headers.CacheControl?.MaxAge);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/search?q=JEMBE");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
    }

    private async Task<SearchResponse> SearchAsync(string query)
    {
        using var response = await fixture.Client.GetAsync("/api/search?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<SearchResponse>(body, System.Text.Json.JsonSerializerOptions.Web)!;
    }
}
