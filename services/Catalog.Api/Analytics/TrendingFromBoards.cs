using Catalog.Api.Caching;
using Catalog.Api.Data;
using Catalog.Api.Model;
using Hive.Caching;
using Hive.Messaging.Analytics;

namespace Catalog.Api.Analytics;

/// <summary>
/// Trending from the metrics service's Redis boards (moved by every view and purchase within seconds);
/// null when the boards are empty for the window or Redis is away, so the caller falls back to Postgres.
/// </summary>
public sealed partial class TrendingFromBoards(LeaderboardReader boards, ProductQueries queries, ILogger<TrendingFromBoards> logger)
{
    public async Task<IReadOnlyList<TrendingProduct>?> ReadAsync(TrendingWindow window, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<LeaderboardEntry> top;
        try
        {
            // Some of the best may be inactive now: read a few more than asked.
            top = await boards.TopAsync(TrendingBoards.Score, limit * 2, Bucket(window), cancellationToken);
        }
        catch (CacheUnavailableException ex)
        {
            LogBoardsUnavailable(logger, ex);
            return null;
        }

        var scores = new Dictionary<long, double>();
        foreach (var entry in top)
        {
            if (long.TryParse(entry.Member, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                scores.TryAdd(id, entry.Score);
            }
        }

        if (scores.Count == 0)
        {
            return null;
        }

        var cards = await queries.ActiveCardsAsync([.. scores.Keys], cancellationToken);
        return [.. cards
            .OrderByDescending(c => scores[c.Id]).ThenBy(c => c.Id)
            .Take(limit)
            .Select(c => new TrendingProduct(c, (long)Math.Round(scores[c.Id])))];
    }

    private static LeaderboardWindow Bucket(TrendingWindow window) => window switch
    {
        TrendingWindow.Hour => LeaderboardWindow.Hour,
        TrendingWindow.Day => LeaderboardWindow.Day,
        _ => LeaderboardWindow.Week,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trending boards unavailable; reading trending from Postgres")]
    private static partial void LogBoardsUnavailable(ILogger logger, Exception exception);
}
