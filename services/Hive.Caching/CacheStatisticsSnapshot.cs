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
    DateTimeOffset CapturedAt);
