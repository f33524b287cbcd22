using System.Text.Json;
using Hive.Caching;
using Microsoft.AspNetCore.Http.Json;
using Search.Api.Data;
using Search.Api.Model;
using Search.Api.Querying;

namespace Search.Api.Caching;

/// <summary>
/// Search reads through the <c>search:</c> namespace, the popular-search leaderboards, and the
/// invalidation a <c>ProductChanged</c> consumer calls. See README.md ("Invalidation") for why pages
/// carry both exact product tags and a category tag on top of a short TTL.
/// </summary>
internal sealed partial class SearchCache(
    IHiveCache cache,
    IRedisPrimitives redis,
    SearchQueries queries,
    Microsoft.Extensions.Options.IOptions<SearchOptions> options,
    Microsoft.Extensions.Options.IOptions<JsonOptions> json,
    ILogger<SearchCache> logger)
{
    public const int SuggestionLimit = 10;

    private const string ResultsEntity = "results";
    private const string SuggestionsEntity = "suggestions";
    private const string CategoriesEntity = "categories";
    private const string ProductEntity = "product";
    private const string CategoryEntity = "category";
    private const string PopularBoard = "popular";
    private const string ZeroResultsBoard = "zero-results";

    private CacheKeyBuilder Keys => cache.Keys;

    /// <summary>The options answers are serialized with; also what reads a value back from an entry's bytes.</summary>
    public JsonSerializerOptions JsonOptions => json.Value.SerializerOptions;

    /// <summary>Category reference data; changes only with a migration, so it lives long.</summary>
    public async ValueTask<IReadOnlyList<CategoryInfo>> CategoriesAsync(CancellationToken cancellationToken)
        => await cache.GetOrSetAsync<IReadOnlyList<CategoryInfo>>(
            Keys.For(CategoriesEntity, "all"),
            async ct => await queries.CategoriesAsync(ct),
            CacheDuration.Long,
            [Keys.Tag(CategoriesEntity)],
            cancellationToken);

    /// <summary>
    /// One page of results, cached under the normalised search (equivalent texts share it) for the
    /// Short tier, tagged <c>product:{id}</c> per hit and <c>category:{id}</c> when filtered; stored ready
    /// to send (<see cref="CachedJson{T}"/>).
    /// </summary>
    public ValueTask<CachedJson<SearchResponse>> SearchAsync(SearchQuery query, IReadOnlyList<CategoryInfo> categories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        CacheTag[] tags = query.CategoryId is { } categoryId
            ? [Keys.Tag(ResultsEntity), Keys.Tag(CategoryEntity, categoryId)]
            : [Keys.Tag(ResultsEntity)];

        // One query per key under concurrency; the hits' tags are known only once the page is read.
        return cache.GetOrSetAsync(
            Keys.For(ResultsEntity, query.CacheId),
            async (entry, ct) =>
            {
                var page = await queries.SearchAsync(query, categories, options.Value.CursorKey, ct);
                entry.AddTags(page.Hits.Select(h => Keys.Tag(ProductEntity, h.Id)));
                return CachedJson<SearchResponse>.Create(page, JsonOptions);
            },
            CacheDuration.Short,
            tags,
            cancellationToken);
    }

    /// <summary>
    /// Up to <see cref="SuggestionLimit"/> completions: popular searches (this week) that start with the
    /// text, and product names with a word starting with it, merged by popularity.
    /// </summary>
    public ValueTask<CachedJson<AutocompleteResponse>> AutocompleteAsync(QueryText text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        return cache.GetOrSetAsync(
            Keys.For(SuggestionsEntity, text.TermText),
            async (entry, ct) =>
            {
                var (response, products) = await SuggestAsync(text, ct);
                entry.AddTags(products.Select(id => Keys.Tag(ProductEntity, id)));
                return CachedJson<AutocompleteResponse>.Create(response, JsonOptions);
            },
            CacheDuration.Short,
            [Keys.Tag(SuggestionsEntity)],
            cancellationToken);
    }

    private async Task<(AutocompleteResponse Response, IEnumerable<long> ShownProducts)> SuggestAsync(QueryText text, CancellationToken cancellationToken)
    {
        var products = await queries.ProductSuggestionsAsync(text, 50, cancellationToken);

        // The popular board only ever counts searches that found something (see RecordSearchAsync).
        var popular = await TopAsync(PopularBoard, 500, LeaderboardWindow.Week, cancellationToken);

        var scores = new Dictionary<string, (string Kind, double Score, bool Leading)>(StringComparer.Ordinal);
        foreach (var entry in popular.Where(e => e.Member.StartsWith(text.TermText, StringComparison.Ordinal)))
        {
            scores[entry.Member] = ("query", entry.Score, true);
        }

        foreach (var product in products)
        {
            // Several sellers list "Sukuma wiki": one suggestion, their popularity added up.
            var name = QueryText.TryParse(product.Name)?.Normalized ?? product.Name.ToLowerInvariant();
            var score = product.Popularity + 1d;
            scores[name] = scores.TryGetValue(name, out var existing)
                ? (existing.Kind, existing.Score + score, existing.Leading || product.Leading)
                : ("product", score, product.Leading);
        }

        var suggestions = scores
            .OrderByDescending(s => s.Value.Leading)
            .ThenByDescending(s => s.Value.Score)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .Take(SuggestionLimit)
            .Select(s => new Suggestion(s.Key, s.Value.Kind, s.Value.Score))
            .ToList();

        var shown = suggestions.Select(s => s.Text).ToHashSet(StringComparer.Ordinal);
        var shownProducts = products
            .Where(p => shown.Contains(QueryText.TryParse(p.Name)?.Normalized ?? p.Name.ToLowerInvariant()))
            .Select(p => p.Id);
        return (new AutocompleteResponse(text.Normalized, suggestions), shownProducts);
    }

    /// <summary>
    /// Counts a first-page search on the popular board when it found something, or on the zero-results
    /// board (for operators) when it did not, and only once per client, text and board per
    /// <see cref="SearchOptions.PopularCountWindow"/>: a script repeating one search cannot push it up,
    /// and a search that leads nowhere never reaches the suggestions everyone sees. A Redis outage never
    /// fails a search; it only goes uncounted.
    /// </summary>
    public async ValueTask RecordSearchAsync(QueryText text, long total, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(client);
        var board = total > 0 ? PopularBoard : ZeroResultsBoard;
        try
        {
            var seen = Keys.For("counted", $"{board}\n{client}\n{text.TermText}");
            if (await redis.IncrementAsync(seen, 1, options.Value.PopularCountWindow, cancellationToken) > 1)
            {
                return;
            }

            await redis.LeaderboardIncrementAsync(Keys.For("board", board), text.TermText, cancellationToken: cancellationToken);
        }
        catch (CacheUnavailableException ex)
        {
            LogRecordFailed(logger, ex);
        }
    }

    public ValueTask<IReadOnlyList<PopularQuery>> PopularAsync(LeaderboardWindow window, int count, CancellationToken cancellationToken)
        => BoardAsync(PopularBoard, window, count, cancellationToken);

    public ValueTask<IReadOnlyList<PopularQuery>> ZeroResultsAsync(LeaderboardWindow window, int count, CancellationToken cancellationToken)
        => BoardAsync(ZeroResultsBoard, window, count, cancellationToken);

    /// <summary>
    /// Drops every cached page and suggestion that shows the product (exact, by tag) and every page
    /// filtered to its category (where a changed product may newly appear). Unfiltered pages the
    /// product newly matches age out within the Short tier. Idempotent.
    /// </summary>
    public async ValueTask InvalidateProductAsync(long productId, int categoryId, CancellationToken cancellationToken)
    {
        await cache.InvalidateTagAsync(Keys.Tag(ProductEntity, productId), cancellationToken);
        await cache.InvalidateTagAsync(Keys.Tag(CategoryEntity, categoryId), cancellationToken);
    }

    private async ValueTask<IReadOnlyList<PopularQuery>> BoardAsync(string board, LeaderboardWindow window, int count, CancellationToken cancellationToken)
    {
        var entries = await TopAsync(board, count, window, cancellationToken);
        return entries.Select(e => new PopularQuery(e.Member, (long)e.Score)).ToList();
    }

    private async ValueTask<IReadOnlyList<LeaderboardEntry>> TopAsync(string board, int count, LeaderboardWindow window, CancellationToken cancellationToken)
    {
        try
        {
            return await redis.LeaderboardTopAsync(Keys.For("board", board), count, window, cancellationToken);
        }
        catch (CacheUnavailableException ex)
        {
            // Popularity is a nicety: without Redis, suggestions fall back to product names alone.
            LogBoardUnavailable(logger, board, ex);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record a search on the leaderboard")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leaderboard {Board} is unavailable")]
    private static partial void LogBoardUnavailable(ILogger logger, string board, Exception exception);
}
