namespace Hive.Caching;

/// <summary>
/// The cache every Hive service uses: memory (L1) in front of Redis (L2), kept coherent across replicas
/// by a Redis backplane, plus the atomic Redis helpers (rate limits, locks, counters, leaderboards).
/// Cache reads and writes never throw because Redis is down; the Redis-only helpers throw
/// <see cref="CacheUnavailableException"/> (locks: <see cref="LockUnavailableException"/>) instead.
/// </summary>
public interface IHiveCache
{
    /// <summary>The service namespace all keys of this cache live under.</summary>
    string Namespace { get; }

    /// <summary>The only way to build keys and tags for this cache.</summary>
    CacheKeyBuilder Keys { get; }

    ValueTask<CacheResult<T>> TryGetAsync<T>(CacheKey key, CancellationToken cancellationToken = default);

    /// <summary>The cached value, or <c>default</c> on a miss (use <see cref="TryGetAsync{T}"/> to tell them apart).</summary>
    ValueTask<T?> GetAsync<T>(CacheKey key, CancellationToken cancellationToken = default);

    ValueTask SetAsync<T>(CacheKey key, T value, CacheLifetime? lifetime = null, IReadOnlyCollection<CacheTag>? tags = null, CancellationToken cancellationToken = default);

    ValueTask RemoveAsync(CacheKey key, CancellationToken cancellationToken = default);

    /// <summary>Cache-aside: concurrent callers for the same cold key in one process share a single factory call. See the overload with <see cref="CacheEntryContext"/>.</summary>
    ValueTask<T> GetOrSetAsync<T>(CacheKey key, Func<CancellationToken, Task<T>> factory, CacheLifetime? lifetime = null, IReadOnlyCollection<CacheTag>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cache-aside with adaptive entries: concurrent callers for the same cold key in one process share a
    /// single factory call, and the factory may add tags that depend on its answer, shorten its lifetime or
    /// decline caching through the <see cref="CacheEntryContext"/>. A fill whose tags are invalidated while it
    /// runs returns its answer but never leaves it in the cache.
    /// </summary>
    ValueTask<T> GetOrSetAsync<T>(CacheKey key, Func<CacheEntryContext, CancellationToken, Task<T>> factory, CacheLifetime? lifetime = null, IReadOnlyCollection<CacheTag>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>Reads many keys: memory first, then one Redis round trip (MGET) for the rest. Misses are absent from the result.</summary>
    ValueTask<IReadOnlyDictionary<CacheKey, T>> GetManyAsync<T>(IEnumerable<CacheKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Writes many entries with one Redis round trip.</summary>
    ValueTask SetManyAsync<T>(IEnumerable<KeyValuePair<CacheKey, T>> entries, CacheLifetime? lifetime = null, IReadOnlyCollection<CacheTag>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="GetManyAsync{T}"/>, then one factory call for all the misses; what it returns is cached.</summary>
    ValueTask<IReadOnlyDictionary<CacheKey, T>> GetOrSetManyAsync<T>(
        IEnumerable<CacheKey> keys,
        Func<IReadOnlyList<CacheKey>, CancellationToken, Task<IReadOnlyDictionary<CacheKey, T>>> factory,
        CacheLifetime? lifetime = null,
        IReadOnlyCollection<CacheTag>? tags = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Every entry carrying the tag is gone, in this process and (through the backplane) on every replica,
    /// and fills of the tag that were running are not stored. Dropped entries are not kept for fail-safe.
    /// </summary>
    ValueTask InvalidateTagAsync(CacheTag tag, CancellationToken cancellationToken = default);

    /// <summary>Sliding-window limit, atomic in Redis on Redis time. See <see cref="HiveCacheOptions.RateLimitFailureMode"/> for outages.</summary>
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

    /// <summary>Hits, misses, L1/L2 hits, factory calls, latency and errors of this namespace so far.</summary>
    CacheStatisticsSnapshot GetStatistics();
}
