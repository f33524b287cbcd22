using Hive.Caching;
using Hive.Contracts;
using Hive.Messaging.Analytics;
using Hive.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Search.Api.Caching;
using Search.Api.Model;
using Search.Api.Querying;

namespace Search.Api.Apis;

public static class SearchApi
{
    private const int MaxBoardSize = 50;

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        // Every route passes the gateway's rate limit ('search', 'autocomplete'); searches need Postgres and boards Redis.
        var api = app.MapGroup("/api/search").WithTags("Search")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/", Search).WithName("Search")
            .WithSummary("Ranked, highlighted products matching the text, with facets.")
            .WithDescription("nameHighlight and snippet are HTML with the matched words in <mark>; pass nextCursor back as cursor for the next page.");
        api.MapGet("/autocomplete", Autocomplete).WithName("Autocomplete")
            .WithSummary("Completions for what the user has typed so far, most popular first.");
        api.MapGet("/popular", GetPopular).WithName("GetPopularSearches")
            .WithSummary("The most frequent searches of an hour, day or week.");
        api.MapGet("/popular/zero-results", GetZeroResults).WithName("GetZeroResultSearches")
            .WithSummary("Searches that found nothing, for operators.");

        return app;
    }

    internal static async Task<Results<CachedJsonResult<SearchResponse>, ValidationProblem>> Search(
        [AsParameters] SearchRequest request,
        SearchCache cache,
        IOptions<SearchOptions> options,
        AnalyticsRecorder analytics,
        TimeProvider clock,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (query, errors) = SearchRequestParser.Parse(request, settings.DefaultPageSize, settings.CursorKey);
        if (query is null)
        {
            return errors.ToProblem();
        }

        var categories = await cache.CategoriesAsync(cancellationToken);
        if (query.CategorySlug is { } slug)
        {
            var category = categories.FirstOrDefault(c => c.Slug == slug);
            if (category is null)
            {
                return ValidationErrors.Problem("category", $"There is no category '{slug}'.");
            }

            query = query with { CategoryId = category.Id };
        }

        var page = await cache.SearchAsync(query, categories, cancellationToken);
        if (query.Cursor is null)
        {
            // Only first pages count: paging through one search is still one search.
            await cache.RecordSearchAsync(query.Text, page.GetValue(cache.JsonOptions).Total.Value, SearchClient.Of(context), cancellationToken);
            analytics.Record(new AnalyticsEvent(
                AnalyticsEventType.Search, null, null, query.CategoryId, AnalyticsClient.Of(context), Truncate(query.Text.Normalized, 200), 1, clock.GetUtcNow()));
        }

        return Ready(page, settings.ClientMaxAgeSeconds);
    }

    internal static async Task<Results<CachedJsonResult<AutocompleteResponse>, ValidationProblem>> Autocomplete(
        string? q,
        SearchCache cache,
        IOptions<SearchOptions> options,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var text = SearchRequestParser.ParseText(q, "q", SearchRequestParser.MaxAutocompleteLength, errors);
        if (text is null)
        {
            return errors.ToProblem();
        }

        var suggestions = await cache.AutocompleteAsync(text, cancellationToken);
        return Ready(suggestions, options.Value.ClientMaxAgeSeconds);
    }

    internal static Task<Results<ConditionalJson<PopularSearches>, ValidationProblem>> GetPopular(
        string? window,
        string? limit,
        SearchCache cache,
        CancellationToken cancellationToken)
        => BoardAsync(window, limit, cache.PopularAsync, cancellationToken);

    /// <summary>For operators: what shoppers look for and do not find (missing stock, missing synonyms).</summary>
    internal static Task<Results<ConditionalJson<PopularSearches>, ValidationProblem>> GetZeroResults(
        string? window,
        string? limit,
        SearchCache cache,
        CancellationToken cancellationToken)
        => BoardAsync(window, limit, cache.ZeroResultsAsync, cancellationToken);

    private static async Task<Results<ConditionalJson<PopularSearches>, ValidationProblem>> BoardAsync(
        string? window,
        string? limit,
        Func<LeaderboardWindow, int, CancellationToken, ValueTask<IReadOnlyList<PopularQuery>>> read,
        CancellationToken cancellationToken)
    {
        if (!TryParseBoard(window, limit, out var board, out var count, out var errors))
        {
            return errors.ToProblem();
        }

        var queries = await read(board, count, cancellationToken);
        return Answer(new PopularSearches(board.ToString().ToLowerInvariant(), queries), 60);
    }

    /// <summary>The body with an ETag over its bytes and public Cache-Control, or a 304 when the client holds it.</summary>
    private static ConditionalJson<T> Answer<T>(T body, int maxAgeSeconds)
        => new(body, CachePolicies.Public(maxAgeSeconds));

    /// <summary>A cached answer as stored: its bytes and ETag were made when the entry was filled.</summary>
    private static CachedJsonResult<T> Ready<T>(CachedJson<T> body, int maxAgeSeconds)
        => new(body, CachePolicies.Public(maxAgeSeconds));

    private static bool TryParseBoard(string? window, string? limit, out LeaderboardWindow board, out int count, out ValidationErrors errors)
    {
        errors = new ValidationErrors();
        board = (window ?? "day").ToLowerInvariant() switch
        {
            "hour" => LeaderboardWindow.Hour,
            "day" => LeaderboardWindow.Day,
            "week" => LeaderboardWindow.Week,
            _ => LeaderboardWindow.AllTime,
        };
        if (board == LeaderboardWindow.AllTime)
        {
            errors["window"] = ["window must be one of hour, day, week."];
        }

        count = errors.WholeNumber(limit, "limit", 1, MaxBoardSize) ?? 10;

        return errors.Count == 0;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
