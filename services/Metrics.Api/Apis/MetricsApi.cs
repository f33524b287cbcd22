using Hive.Caching;
using Hive.Messaging;
using Metrics.Api.Fleet;
using Metrics.Api.Views;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Metrics.Api.Apis;

/// <summary>The operators' view of the fleet behind <c>/admin/metrics</c>.</summary>
public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/admin/metrics").WithTags("Metrics").RequireAuthorization(CacheStatisticsEndpoint.AdminPolicy);
        api.MapGet("/", GetOverview).WithName("GetMetricsOverview");
        api.MapGet("/cache", GetCache).WithName("GetFleetCacheStatistics");
        return app;
    }

    /// <summary>Redis as a whole, each service's change-to-eviction lag, and the materialized views' last refresh.</summary>
    public static async Task<Ok<FleetOverview>> GetOverview(
        IConnectionMultiplexer redis, FleetProbe fleet, InvalidationLag lag, MaterializedViewStatus views, CancellationToken cancellationToken)
    {
        var lags = await fleet.ReadAsync("/admin/invalidation/lag", cancellationToken);
        return TypedResults.Ok(new FleetOverview(await ReadRedisAsync(redis), lags, lag.Snapshot(reset: false), views.Report()));
    }

    /// <summary>Every service's cache statistics (hits, misses, L1/L2, latency) and the fleet's totals.</summary>
    public static async Task<Ok<FleetCache>> GetCache(FleetProbe fleet, IHiveCache cache, CancellationToken cancellationToken)
    {
        var services = await fleet.ReadAsync(CacheStatisticsEndpoint.Path, cancellationToken);
        var own = cache.GetStatistics();
        long hits = own.Hits, misses = own.Misses;
        foreach (var reading in services.Values.Where(r => r.Body is not null))
        {
            hits += reading.Body!.Value.GetProperty("hits").GetInt64();
            misses += reading.Body!.Value.GetProperty("misses").GetInt64();
        }

        return TypedResults.Ok(new FleetCache(hits, misses, hits + misses == 0 ? 0 : (double)hits / (hits + misses), own, services));
    }

    private static async Task<RedisOverview> ReadRedisAsync(IConnectionMultiplexer redis)
    {
        try
        {
            var server = redis.GetServers()[0];
            var info = (await server.InfoAsync()).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
            long Read(string key) => info.TryGetValue(key, out var v) && long.TryParse(v, out var n) ? n : 0;
            var hits = Read("keyspace_hits");
            var misses = Read("keyspace_misses");
            return new RedisOverview(true, hits, misses, hits + misses == 0 ? 0 : (double)hits / (hits + misses), Read("used_memory"), Read("connected_clients"));
        }
        catch (RedisException)
        {
            return new RedisOverview(false, 0, 0, 0, 0, 0);
        }
    }
}

public sealed record RedisOverview(bool Reachable, long KeyspaceHits, long KeyspaceMisses, double HitRate, long UsedMemoryBytes, long ConnectedClients);

public sealed record FleetOverview(
    RedisOverview Redis, IReadOnlyDictionary<string, FleetReading> InvalidationLag, LagSnapshot MetricsInvalidationLag, MaterializedViewReport MaterializedViews);

public sealed record FleetCache(long Hits, long Misses, double HitRate, CacheStatisticsSnapshot Metrics, IReadOnlyDictionary<string, FleetReading> Services);
