namespace Hive.Caching;

/// <summary>
/// The cache every Hive service uses: memory (L1) in front of Redis (L2), kept coherent across replicas
/// by a Redis backplane; entries, tags and statistics. Reads and writes never throw because Redis is
/// down. The atomic Redis helpers (rate limits, locks, counters, leaderboards) are <see cref="IRedisPrimitives"/>.
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

    /// <summary>Hits, misses, L1/L2 hits, factory calls, latency and errors of this namespace so far.</summary>
    CacheStatisticsSnapshot GetStatistics();
}
