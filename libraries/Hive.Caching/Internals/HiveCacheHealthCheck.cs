using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hive.Caching;

/// <summary>Degraded, not unhealthy, while Redis is away: the cache keeps serving from memory and factories.</summary>
internal sealed class HiveCacheHealthCheck(IHiveCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statistics = cache.GetStatistics();
        return Task.FromResult(statistics.DistributedCacheAvailable
            ? HealthCheckResult.Healthy($"Cache '{statistics.Namespace}' uses Redis.")
            : HealthCheckResult.Degraded($"Cache '{statistics.Namespace}' is serving without Redis (circuit open)."));
    }
}
