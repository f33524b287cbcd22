using Hive.Mobile.Caching;
using Hive.Mobile.Models;

namespace Hive.Mobile.Api;

public sealed record SearchQuery(string Text)
{
    /// <summary>A category slug.</summary>
    public string? Category { get; init; }

    public decimal? MinPrice { get; init; }

    public decimal? MaxPrice { get; init; }

    /// <summary><c>relevance</c> (default), <c>price</c> or <c>newest</c>.</summary>
    public string? Sort { get; init; }

    public int? PageSize { get; init; }

    public string? Cursor { get; init; }
}

/// <summary>Search and autocomplete through the gateway, cached and deduplicated like every read.</summary>
public sealed class SearchClient
{
    private readonly ResponseCache _cache;
    private readonly CatalogClient _catalog;

    internal SearchClient(ResponseCache cache, CatalogClient catalog)
    {
        _cache = cache;
        _catalog = catalog;
    }

    public Task<Fetched<SearchResponse>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
        => _cache.GetAsync(Request(query), HiveJsonContext.Default.SearchResponse, cancellationToken);

    public IAsyncEnumerable<Fetched<SearchResponse>> WatchSearchAsync(SearchQuery query, ReadMode mode = ReadMode.CacheFirst, CancellationToken cancellationToken = default)
        => _cache.WatchAsync(Request(query), HiveJsonContext.Default.SearchResponse, mode, cancellationToken);

    /// <summary>
    /// Suggestions for what the user has typed. The prefix is normalised (trimmed, lower case) so "Sho",
    /// "sho" and "sho " are one cache entry and one request.
    /// </summary>
    public Task<Fetched<AutocompleteResponse>> AutocompleteAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var text = prefix.Trim().ToLowerInvariant();
        return _cache.GetAsync(
            new CacheRequest(new Query("api/search/autocomplete").Add("q", text).ToString(), ResourceKind.Autocomplete),
            HiveJsonContext.Default.AutocompleteResponse,
            cancellationToken);
    }

    private CacheRequest Request(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = new Query("api/search").Add("q", query.Text.Trim()).Add("category", query.Category)
            .Add("minPrice", query.MinPrice).Add("maxPrice", query.MaxPrice).Add("sort", query.Sort)
            .Add("pageSize", query.PageSize ?? _catalog.DefaultPageSize).Add("cursor", query.Cursor);
        return new CacheRequest(path.ToString(), ResourceKind.Search);
    }
}
