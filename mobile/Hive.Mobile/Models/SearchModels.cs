namespace Hive.Mobile.Models;

/// <summary>One page of search hits with facets (GET /api/search).</summary>
public sealed record SearchResponse(string Query, string Sort, IReadOnlyList<SearchHit> Hits, SearchTotal Total, SearchFacets Facets, string? NextCursor);

/// <summary><see cref="NameHighlight"/> and <see cref="Snippet"/> are HTML with matches in &lt;mark&gt;.</summary>
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
    string Snippet);

public sealed record SearchTotal(long Value, bool IsExact);

public sealed record SearchFacets(IReadOnlyList<CategoryFacet> Categories, IReadOnlyList<PriceBucket> Prices);

public sealed record CategoryFacet(int Id, string Slug, string Name, long Count);

public sealed record PriceBucket(decimal Min, decimal? Max, long Count);

public sealed record AutocompleteResponse(string Query, IReadOnlyList<Suggestion> Suggestions);

/// <summary><see cref="Kind"/> is <c>query</c> (a popular search) or <c>product</c> (a product name).</summary>
public sealed record Suggestion(string Text, string Kind, double Score);
