namespace Search.Api.Model;

/// <summary>One page of search hits with the facets of the whole result set.</summary>
public sealed record SearchResponse(
    string Query,
    string Sort,
    IReadOnlyList<SearchHit> Hits,
    SearchTotal Total,
    SearchFacets Facets,
    string? NextCursor);

/// <summary>
/// A matching product. <paramref name="NameHighlight"/> and <paramref name="Snippet"/> are HTML:
/// the product text is escaped and matched words are wrapped in <c>&lt;mark&gt;</c>.
/// </summary>
public sealed record SearchHit(
    long Id,
    string Name,
    string Slug,
    decimal Price,
    string Currency,
    long BusinessId,
    string BusinessName,
    int CategoryId,
    string CategorySlug,
    string CategoryName,
    DateTimeOffset CreatedAt,
    decimal Relevance,
    string NameHighlight,
    string Snippet)
{
    /// <summary>The product's first image as catalog's list cards carry it, or null when it has none.</summary>
    public CardImage? Image { get; init; }
}

/// <summary>
/// A product's first image: the URL of media's card variant and its ThumbHash placeholder (base64, drawn
/// while the URL loads), so a phone draws a hit in one request. The same shape as catalog's list cards.
/// </summary>
public sealed record CardImage(string Url, string? Placeholder);

/// <summary>How many products match; when <paramref name="IsExact"/> is false, at least <paramref name="Value"/>.</summary>
public sealed record SearchTotal(long Value, bool IsExact);

/// <summary>
/// Counts for narrowing the search. Category counts ignore the category filter and price buckets
/// ignore the price filter, so a client can show the alternatives to what is selected.
/// </summary>
public sealed record SearchFacets(IReadOnlyList<CategoryFacet> Categories, IReadOnlyList<PriceBucket> Prices);

public sealed record CategoryFacet(int Id, string Slug, string Name, long Count);

/// <summary>Products priced in [<paramref name="Min"/>, <paramref name="Max"/>) KES; no upper bound when Max is null.</summary>
public sealed record PriceBucket(decimal Min, decimal? Max, long Count);
