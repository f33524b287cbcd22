using Hive.Caching;
using Hive.Messaging;
using Hive.ServiceDefaults;
using Hive.ServiceDefaults.RequestMetrics;
using Metrics.Api.Analytics;
using Metrics.Api.Fleet;
using Metrics.Api.Infrastructure;
using Metrics.Api.Views;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Metrics.Api.Apis;

/// <summary>The operators' view of the fleet behind <c>/admin/metrics</c>.</summary>
public static class MetricsApi
{
    public const int MaxListed = 100;

    private static readonly string[] OverviewParameters = ["slowQueries", "slowRequests"];

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        // Admins only (the gateway checks too); every route passes the gateway's rate limit. A store that does
        // not answer shows in its part of the answer (reachable: false), never as a failed request.
        var api = app.MapGroup("/admin/metrics").WithTags("Metrics").RequireAuthorization(CacheStatisticsEndpoint.AdminPolicy)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/", GetOverview).WithName("GetMetricsOverview")
            .WithSummary("The fleet at a glance: requests per service and route, Redis, Postgres, RabbitMQ, invalidation lag, views and analytics.")
            .WithDescription("Every part says when it was taken; a replica that did not answer is listed with its error.")
            .WithValidationExample("slowQueries", "slowQueries must be between 1 and 100.");
        api.MapGet("/cache", GetCache).WithName("GetFleetCacheStatistics")
            .WithSummary("Every service's cache statistics and evictions per event kind, with the fleet's totals.")
            .WithValidationExample("window", "This endpoint takes no query parameters.");
        return app;
    }

    /// <summary>
    /// Requests per service and route with fleet totals; Redis, Postgres and RabbitMQ; each service's
    /// change-to-eviction lag; the materialized views' last refresh; analytics ingestion. Every part says when it was taken.
    /// </summary>
    public static async Task<Results<Ok<FleetOverview>, ValidationProblem>> GetOverview(
        HttpRequest request,
        IConnectionMultiplexer redis,
        FleetProbe fleet,
        RequestMetrics requests,
        PostgresProbe postgres,
        RabbitMqProbe rabbitMq,
        InvalidationLag lag,
        MaterializedViewStatus views,
        AnalyticsIngestionStatistics analytics,
        TimeProvider clock,
        int? slowQueries,
        int? slowRequests,
        CancellationToken cancellationToken)
    {
        if (UnknownParameter(request, OverviewParameters) is { } unknown)
        {
            return unknown;
        }

        if (slowQueries is < 1 or > MaxListed)
        {
            return ValidationErrors.Problem("slowQueries", $"slowQueries must be between 1 and {MaxListed}.");
        }

        if (slowRequests is < 1 or > MaxListed)
        {
            return ValidationErrors.Problem("slowRequests", $"slowRequests must be between 1 and {MaxListed}.");
        }

        var replicas = await fleet.TargetsAsync(cancellationToken);
        var requestReadings = fleet.ReadAsync(replicas, RequestMetricsExtensions.Path, cancellationToken);
        var lagReadings = fleet.ReadAsync(replicas, "/admin/invalidation/lag", cancellationToken);
        var pg = postgres.ReadAsync(slowQueries ?? 10, cancellationToken);
        var rabbit = rabbitMq.ReadAsync(cancellationToken);
        var redisOverview = ReadRedisAsync(redis, clock);
        var viewReport = views.ReportAsync(cancellationToken);
        await Task.WhenAll(requestReadings, lagReadings, pg, rabbit, redisOverview, viewReport);

        return TypedResults.Ok(new FleetOverview(
            clock.GetUtcNow(),
            FleetRequests.From(requests.Snapshot(), await requestReadings, slowRequests ?? 20),
            await redisOverview,
            await pg,
            await rabbit,
            ServiceReadings.ByService(await lagReadings),
            lag.Snapshot(reset: false),
            await viewReport,
            analytics.Snapshot()));
    }

    /// <summary>Every service's cache statistics (hits, misses, L1/L2, latency) and evictions per event kind, and the fleet's totals.</summary>
    public static async Task<Results<Ok<FleetCache>, ValidationProblem>> GetCache(
        HttpRequest request, FleetProbe fleet, IHiveCache cache, InvalidationLag lag, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (UnknownParameter(request, []) is { } unknown)
        {
            return unknown;
        }

        var replicas = await fleet.TargetsAsync(cancellationToken);
        var statistics = fleet.ReadAsync(replicas, CacheStatisticsEndpoint.Path, cancellationToken);
        var evictions = fleet.ReadAsync(replicas, "/admin/invalidation/lag", cancellationToken);
        await Task.WhenAll(statistics, evictions);

        var own = cache.GetStatistics();
        long hits = own.Hits, misses = own.Misses, l1 = own.L1Hits, l2 = own.L2Hits;
        foreach (var reading in (await statistics).Values.Where(r => r.Body is not null))
        {
            var body = reading.Body!.Value;
            hits += body.GetProperty("hits").GetInt64();
            misses += body.GetProperty("misses").GetInt64();
            l1 += body.TryGetProperty("l1Hits", out var l1Hits) ? l1Hits.GetInt64() : 0;
            l2 += body.TryGetProperty("l2Hits", out var l2Hits) ? l2Hits.GetInt64() : 0;
        }

        // Evictions per service over its replicas; each replica's own count stays in its reading.
        var byKind = (await evictions).Values.GroupBy(r => r.Service, StringComparer.Ordinal).ToDictionary(
            service => service.Key,
            service =>
            {
                var counts = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var body in service.Where(r => r.Body is not null).Select(r => r.Body!.Value))
                {
                    if (body.TryGetProperty("evictionsByKind", out var kinds))
                    {
                        foreach (var kind in kinds.EnumerateObject())
                        {
                            counts[kind.Name] = counts.GetValueOrDefault(kind.Name) + kind.Value.GetInt64();
                        }
                    }
                }

                return new ServiceEvictions(service.All(r => r.Body is not null), counts, service.Min(r => r.ReadAt));
            });
        byKind["metrics"] = new ServiceEvictions(true, lag.Snapshot(reset: false).EvictionsByKind, clock.GetUtcNow());

        return TypedResults.Ok(new FleetCache(
            clock.GetUtcNow(), hits, misses, Rate(hits, misses), l1, l2, own, ServiceReadings.ByService(await statistics), byKind));
    }

    /// <summary>A parameter these endpoints do not know is a mistake worth saying, not something to ignore.</summary>
    private static ValidationProblem? UnknownParameter(HttpRequest request, string[] known)
    {
        var unknown = request.Query.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase));
        return unknown is null
            ? null
            : ValidationErrors.Problem(unknown, known.Length == 0 ? "This endpoint takes no query parameters." : $"Unknown query parameter; known: {string.Join(", ", known)}.");
    }

    private static double Rate(long hits, long misses) => hits + misses == 0 ? 0 : Math.Round((double)hits / (hits + misses), 4);

    private static async Task<RedisOverview> ReadRedisAsync(IConnectionMultiplexer redis, TimeProvider clock)
    {
        try
        {
            var server = redis.GetServers()[0];
            var info = (await server.InfoAsync()).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
            long Read(string key) => info.TryGetValue(key, out var v) && long.TryParse(v, out var n) ? n : 0;
            var hits = Read("keyspace_hits");
            var misses = Read("keyspace_misses");
            return new RedisOverview(
                true, clock.GetUtcNow(), hits, misses, Rate(hits, misses), Read("used_memory"), Read("maxmemory"),
                Read("evicted_keys"), Read("expired_keys"), Read("connected_clients"), null);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new RedisOverview(false, clock.GetUtcNow(), 0, 0, 0, 0, 0, 0, 0, 0, ex.Message);
        }
    }
}

public sealed record RedisOverview(
    bool Reachable,
    DateTimeOffset TakenAt,
    long KeyspaceHits,
    long KeyspaceMisses,
    double HitRate,
    long UsedMemoryBytes,
    long MaxMemoryBytes,
    long EvictedKeys,
    long ExpiredKeys,
    long ConnectedClients,
    string? Error);

public sealed record FleetOverview(
    DateTimeOffset TakenAt,
    FleetRequests Requests,
    RedisOverview Redis,
    PostgresOverview Postgres,
    RabbitMqOverview RabbitMq,
    IReadOnlyDictionary<string, ServiceReadings> InvalidationLag,
    LagSnapshot MetricsInvalidationLag,
    MaterializedViewReport MaterializedViews,
    AnalyticsIngestion Analytics);

public sealed record ServiceEvictions(bool Answered, IReadOnlyDictionary<string, long> ByKind, DateTimeOffset ReadAt);

public sealed record FleetCache(
    DateTimeOffset TakenAt,
    long Hits,
    long Misses,
    double HitRate,
    long L1Hits,
    long L2Hits,
    CacheStatisticsSnapshot Metrics,
    IReadOnlyDictionary<string, ServiceReadings> Services,
    IReadOnlyDictionary<string, ServiceEvictions> EvictionsByKind);

/// <summary>One service's answers, one per replica by name; answered only when every replica answered.</summary>
public sealed record ServiceReadings(bool Answered, string? Error, IReadOnlyDictionary<string, FleetReading> Replicas)
{
    public static IReadOnlyDictionary<string, ServiceReadings> ByService(IReadOnlyDictionary<string, FleetReading> readings)
        => readings.Values.GroupBy(r => r.Service, StringComparer.Ordinal).ToDictionary(
            service => service.Key,
            service =>
            {
                var silent = service.Where(r => !r.Answered).Select(r => $"{r.Instance}: {r.Error}").ToList();
                return new ServiceReadings(
                    silent.Count == 0,
                    silent.Count == 0 ? null : string.Join("; ", silent),
                    service.ToDictionary(r => r.Instance, StringComparer.Ordinal));
            },
            StringComparer.Ordinal);
}
