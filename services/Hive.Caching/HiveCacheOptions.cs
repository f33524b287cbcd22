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

    /// <summary>How long a last good value may still be served when Redis or the factory fails. Default 1 h.</summary>
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

    /// <summary>Pause between attempts while waiting for a busy lock. Default 50 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan LockRetryDelay { get; set; } = TimeSpan.FromMilliseconds(50);
}
