namespace Hive.Caching;

/// <summary>Counters of one namespace since the process started, served by a service's /admin/metrics/cache.</summary>
public sealed record CacheStatisticsSnapshot(
    string Namespace,
    long Hits,
    long Misses,
    double HitRate,
    long L1Hits,
    long L2Hits,
    double L1HitRate,
    double L2HitRate,
    long FactoryCalls,
    long Errors,
    double AverageLatencyMs,
    double P95LatencyMs,
    bool DistributedCacheAvailable,
    DateTimeOffset CapturedAt)
{
    /// <summary>Entries in this replica's memory cache now.</summary>
    public long L1Entries { get; init; }

    /// <summary>Their summed size (bytes of serialized values, estimated for entries read from Redis).</summary>
    public long L1Size { get; init; }

    /// <summary>The configured budget, <see cref="HiveCacheOptions.MemorySizeLimit"/>.</summary>
    public long L1SizeLimit { get; init; }

    /// <summary>Entries dropped (or refused) because the budget was full, since the process started.</summary>
    public long L1Evictions { get; init; }
}
