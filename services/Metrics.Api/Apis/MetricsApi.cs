using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Metrics.Api.Apis;

public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/admin/metrics").WithTags("Metrics");
        api.MapGet("/", GetOverview).WithName("GetMetricsOverview");
        return app;
    }

    public static async Task<Ok<RedisOverview>> GetOverview(IConnectionMultiplexer redis)
    {
        var server = redis.GetServers()[0];
        var info = (await server.InfoAsync("stats")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        long Read(string key) => info.TryGetValue(key, out var v) && long.TryParse(v, out var n) ? n : 0;
        var hits = Read("keyspace_hits");
        var misses = Read("keyspace_misses");
        return TypedResults.Ok(new RedisOverview(hits, misses, hits + misses == 0 ? 0 : (double)hits / (hits + misses)));
    }
}

public sealed record RedisOverview(long KeyspaceHits, long KeyspaceMisses, double HitRate);
