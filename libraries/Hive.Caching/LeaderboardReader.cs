using System.Globalization;
using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>
/// Reads (and trims) a leaderboard another service writes with <see cref="IHiveCache.LeaderboardIncrementAsync"/>:
/// catalog's trending list comes from the boards the metrics service keeps. Reading does not write, so the
/// owner's namespace stays the owner's; the buckets are found on Redis time exactly as the writer files them.
/// The boards live where the writer keeps them, in the coordination Redis (never evicted), not the cache Redis.
/// </summary>
public sealed class LeaderboardReader(CoordinationRedis coordination)
{
    private readonly IConnectionMultiplexer _redis = coordination.Connection;

    /// <summary>The top members of <paramref name="board"/>'s current bucket of <paramref name="window"/>, highest first.</summary>
    public async Task<IReadOnlyList<LeaderboardEntry>> TopAsync(CacheKey board, int count, LeaderboardWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        try
        {
            var result = (RedisResult[])(await _redis.GetDatabase()
                .ScriptEvaluateAsync(LuaScripts.LeaderboardTop, [BaseKey(board)], [count, Bucket(window)])
                .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false))!;
            var entries = new List<LeaderboardEntry>(result.Length / 2);
            for (var i = 0; i + 1 < result.Length; i += 2)
            {
                entries.Add(new LeaderboardEntry((string)result[i]!, double.Parse((string)result[i + 1]!, CultureInfo.InvariantCulture), (i / 2) + 1));
            }

            return entries;
        }
        catch (Exception ex) when (HiveCache.IsRedisFailure(ex))
        {
            throw new CacheUnavailableException($"Could not reach Redis to read leaderboard '{board}'.", ex);
        }
    }

    /// <summary>Keeps the <paramref name="keep"/> best members of the all-time bucket (the time buckets expire by themselves).</summary>
    public async Task<long> TrimAllTimeAsync(CacheKey board, int keep, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keep);
        try
        {
            return await _redis.GetDatabase().SortedSetRemoveRangeByRankAsync(BaseKey(board) + ":all", 0, -(keep + 1))
                .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (HiveCache.IsRedisFailure(ex))
        {
            throw new CacheUnavailableException($"Could not reach Redis to trim leaderboard '{board}'.", ex);
        }
    }

    // The writer's key: HiveCache.HelperKey("lb", board) in the board's own namespace.
    private static string BaseKey(CacheKey board)
    {
        if (board.IsEmpty)
        {
            throw new ArgumentException("The board key is empty.", nameof(board));
        }

        return $"{board.Namespace}:~lb:{{{board.Local}}}";
    }

    private static string Bucket(LeaderboardWindow window) => window switch
    {
        LeaderboardWindow.AllTime => "all",
        LeaderboardWindow.Hour => "h",
        LeaderboardWindow.Day => "d",
        LeaderboardWindow.Week => "w",
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, "Unknown leaderboard window."),
    };
}
