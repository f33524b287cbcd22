using System.ComponentModel.DataAnnotations;

namespace Hive.Caching;

/// <summary>Settings of the Hive cache, bound from <c>Hive:Cache</c>. Every default is safe for a service to run with.</summary>
public sealed class HiveCacheOptions
{
    public const string SectionName = "Hive:Cache";

    /// <summary>The service namespace every key lives under, for example <c>catalog</c>. Set by <c>AddHiveCaching("catalog")</c>.</summary>
    [Required]
    [RegularExpression("^[a-z][a-z0-9-]{0,31}$")]
    public string Namespace { get; set; } = string.Empty;

    /// <summary>Tier used when a call gives no lifetime. Default <see cref="CacheDuration.Medium"/> (5 min).</summary>
    public CacheDuration DefaultDuration { get; set; } = CacheDuration.Medium;

    /// <summary>Largest random extra TTL, as a fraction of the TTL, so entries written together spread their expiry. Default 0.1.</summary>
    [Range(0.0, 0.5)]
    public double JitterFraction { get; set; } = 0.1;

    /// <summary>
    /// How long past its TTL a last good value may still be served when Redis or the factory fails. Default 1 h,
    /// at most 7 days. An invalidated entry is gone, not stale: fail-safe never brings it back.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan FailSafeMaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After a fail-safe activation, how long the stale value is reused before the source is tried again. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan FailSafeThrottleDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A slow Redis read gives up after this when a stale value can be served instead. Default 250 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan DistributedSoftTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A Redis cache operation is abandoned after this, even without a stale value. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan DistributedHardTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After a Redis error the cache and backplane skip Redis for this long instead of piling up timeouts. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CircuitBreakerDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>What rate limiting does while Redis is down. Default <see cref="RateLimitFailureMode.LocalFallback"/>.</summary>
    public RateLimitFailureMode RateLimitFailureMode { get; set; } = RateLimitFailureMode.LocalFallback;

    /// <summary>
    /// The most rate-limit permits this process takes from a key's window in one Redis call, for a client sending
    /// faster than a lease lasts; 1 turns leasing off. A lease is also at most a 64th of the limit (a limit under
    /// 128 is never leased) and a 16th of what is left. Default 64.
    /// </summary>
    [Range(1, 1024)]
    public int RateLimitLeaseMax { get; set; } = 64;

    /// <summary>How long leased permits may be used; those unused by then are given back to Redis. Default 250 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan RateLimitLeaseLifetime { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Memory budget of this service's L1, in bytes of serialized values (each entry is sized by its JSON).
    /// When full, the least recently used entries are evicted (counted in <c>hive.cache.l1.evictions</c>). Default 64 MiB.
    /// </summary>
    [Range(16 * 1024L, 64L * 1024 * 1024 * 1024)]
    public long MemorySizeLimit { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long a "not found" answer is cached when a caller marks it so (a product id or slug that does not exist yet). Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan NegativeDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an invalidation's write-generation stamp is kept: longer than any fill (query plus write) can
    /// take, so a fill that read before the invalidation always sees it. Default 10 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan WriteGenerationRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Connection string name of the coordination Redis (locks, fencing counters, write generations, the
    /// version ledger, counters, leaderboards), run with <c>maxmemory-policy noeviction</c> so cache pressure
    /// never evicts them. When no such connection string exists, the cache's own Redis is used. Default <c>redis-coordination</c>.
    /// </summary>
    [Required]
    public string CoordinationConnectionName { get; set; } = "redis-coordination";

    /// <summary>Most members a leaderboard bucket keeps (all time, hour, day, week); the lowest scores go first. Default 10,000.</summary>
    [Range(10, 10_000_000)]
    public int LeaderboardMaxMembers { get; set; } = 10_000;

    /// <summary>Pause between attempts while waiting for a busy lock. Default 50 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan LockRetryDelay { get; set; } = TimeSpan.FromMilliseconds(50);
}
