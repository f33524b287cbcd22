namespace Hive.Caching;

/// <summary>
/// The atomic Redis helpers of a service's namespace, on the coordination Redis that never evicts: rate
/// limits, locks with fencing tokens, counters and leaderboards. Unlike cache reads they cannot be served
/// without Redis: they throw <see cref="CacheUnavailableException"/> (locks: <see cref="LockUnavailableException"/>)
/// while it is unreachable. Registered by <c>AddHiveCaching</c> beside <see cref="IHiveCache"/>.
/// </summary>
public interface IRedisPrimitives
{
    /// <summary>The service namespace all keys live under.</summary>
    string Namespace { get; }

    /// <summary>The only way to build keys for these helpers.</summary>
    CacheKeyBuilder Keys { get; }

    /// <summary>
    /// Sliding-window limit, atomic in Redis on Redis time, shared by every process using the key. A key called
    /// faster than a lease lasts is answered from permits leased ahead (<see cref="HiveCacheOptions.RateLimitLeaseMax"/>),
    /// which never lets the processes together pass the limit. See <see cref="HiveCacheOptions.RateLimitFailureMode"/> for outages.
    /// </summary>
    ValueTask<RateLimitResult> CheckRateLimitAsync(CacheKey key, int limit, TimeSpan window, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the lock, waiting up to <paramref name="wait"/> (default: no wait) while another holder has it.
    /// Null when it stayed busy; throws <see cref="LockUnavailableException"/> when Redis is unreachable.
    /// </summary>
    ValueTask<ICacheLock?> AcquireLockAsync(CacheKey key, TimeSpan ttl, TimeSpan? wait = null, CancellationToken cancellationToken = default);

    /// <summary>Atomic counter; <paramref name="ttl"/> is set when the counter is created.</summary>
    ValueTask<long> IncrementAsync(CacheKey key, long by = 1, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Sets a member's score on the board, in the all-time bucket and the current hour, day and week.</summary>
    ValueTask LeaderboardAddAsync(CacheKey board, string member, double score, CancellationToken cancellationToken = default);

    /// <summary>Adds to a member's score in every bucket (all time, this hour, today, this week); returns the all-time score.</summary>
    ValueTask<double> LeaderboardIncrementAsync(CacheKey board, string member, double by = 1, CancellationToken cancellationToken = default);

    /// <summary>The top <paramref name="count"/> members of the current bucket of <paramref name="window"/>, highest first.</summary>
    ValueTask<IReadOnlyList<LeaderboardEntry>> LeaderboardTopAsync(CacheKey board, int count, LeaderboardWindow window = LeaderboardWindow.AllTime, CancellationToken cancellationToken = default);
}
