using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Contracts;
using Hive.Messaging;
using Hive.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.Api.Tests;

[Collection(MetricsCollection.Name)]
public sealed class FleetOverviewTests(MetricsFixture metrics)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheOverviewGivesEachServicesRoutesAndTheFleetTotals()
    {
        using var client = metrics.AdminClient();
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync("/admin/metrics/cache")).EnsureSuccessStatusCode();
        }

        var overview = await Eventually.SucceedsAsync(
            () => metrics.OverviewAsync(),
            o => Routes(o, "metrics").Any(r => r.GetProperty("route").GetString() == "GET /admin/metrics/cache" && r.GetProperty("count").GetInt64() >= 3),
            Deadline,
            "the cache view's three reads under its route template");

        var requests = overview.GetProperty("requests");
        Assert.True(requests.GetProperty("count").GetInt64() >= 3);
        // The catalog configured for this test is down: the overview says so instead of failing.
        var catalog = requests.GetProperty("services").GetProperty("catalog");
        Assert.False(catalog.GetProperty("answered").GetBoolean());
        Assert.False(string.IsNullOrEmpty(catalog.GetProperty("error").GetString()));
        Assert.True(overview.GetProperty("takenAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task SlowStatementsComeFromPgStatStatementsAndConnectionsFromTheServer()
    {
        for (var i = 0; i < 3; i++)
        {
            await metrics.ExecuteAsync("SELECT pg_sleep(0.15)");
        }

        var overview = await metrics.OverviewAsync("?slowQueries=20");

        var postgres = overview.GetProperty("postgres");
        Assert.True(postgres.GetProperty("reachable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, postgres.GetProperty("slowQueriesUnavailable").ValueKind);
        var slow = postgres.GetProperty("slowQueries").EnumerateArray().ToList();
        Assert.InRange(slow.Count, 1, 20);
        var sleep = Assert.Single(slow, q => q.GetProperty("query").GetString() == "SELECT pg_sleep($1)");
        Assert.True(sleep.GetProperty("calls").GetInt64() >= 3);
        Assert.True(sleep.GetProperty("meanMs").GetDouble() >= 140);
        var connections = postgres.GetProperty("connections");
        Assert.Equal(300, connections.GetProperty("maxConnections").GetInt64());
        Assert.True(connections.GetProperty("connections").GetInt64() >= 1);
    }

    [Fact]
    public async Task RedisAndRabbitMqReportMemoryEvictionsQueueDepthsAndConsumers()
    {
        await metrics.WaitForConsumerAsync(ProductChangedQueues.For("metrics"));

        var overview = await metrics.OverviewAsync();

        var redis = overview.GetProperty("redis");
        Assert.True(redis.GetProperty("reachable").GetBoolean());
        Assert.True(redis.GetProperty("usedMemoryBytes").GetInt64() > 0);
        Assert.True(redis.TryGetProperty("evictedKeys", out _));
        var queues = overview.GetProperty("rabbitMq").GetProperty("queues").EnumerateArray().ToList();
        var own = queues.Single(q => q.GetProperty("queue").GetString() == "metrics-product-changed");
        Assert.True(own.GetProperty("exists").GetBoolean());
        Assert.True(own.GetProperty("consumers").GetInt64() >= 1);
        // No search service runs in this test: its queue is reported as missing, not created.
        Assert.Contains(queues, q => q.GetProperty("queue").GetString() == "media-product-changed");
    }

    [Theory]
    [InlineData("?slowQueries=0", "slowQueries")]
    [InlineData("?slowQueries=101", "slowQueries")]
    [InlineData("?slowRequests=-1", "slowRequests")]
    [InlineData("?window=hour", "window")]
    public async Task OutOfRangeOrUnknownParametersAreABadRequestNamingTheField(string query, string field)
    {
        using var client = metrics.AdminClient();

        var response = await client.GetAsync("/admin/metrics" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task AnUnknownMetricsRouteIsANotFoundProblem()
    {
        using var client = metrics.AdminClient();

        var response = await client.GetAsync("/admin/metrics/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ChangesFromBeforeTheServiceStartedAreNotCountedAsInvalidationLag()
    {
        await metrics.WaitForConsumerAsync(ProductChangedQueues.For("metrics"));
        var lag = metrics.Factory.Services.GetRequiredService<InvalidationLag>();
        var before = lag.Snapshot(reset: false);
        var bus = metrics.Factory.Services.GetRequiredService<IBus>();
        var product = Random.Shared.NextInt64(1_000_000, 2_000_000);

        // A seeded row from a day ago, then a change made now.
        await bus.Publish(new ProductChanged(product, 1, 1, "old", ProductChangeKind.Updated, 1, DateTimeOffset.UtcNow.AddHours(-30)));
        await bus.Publish(new ProductChanged(product + 1, 1, 1, "new", ProductChangeKind.Created, 1, DateTimeOffset.UtcNow));

        var after = await Eventually.SucceedsAsync(
            () => Task.FromResult(lag.Snapshot(reset: false)),
            s => s.SkippedFromBeforeStart > before.SkippedFromBeforeStart && s.Samples > before.Samples,
            Deadline,
            "both changes consumed");

        Assert.Equal(before.Samples + 1, after.Samples);
        Assert.True(after.MaxMs < TimeSpan.FromHours(1).TotalMilliseconds, $"max lag {after.MaxMs} ms counts the seeded change");
        Assert.True(after.EvictionsByKind["Created"] > before.EvictionsByKind["Created"]);

        using var client = metrics.AdminClient();
        var cache = await client.GetFromJsonAsync<JsonElement>("/admin/metrics/cache");
        var evictions = cache.GetProperty("evictionsByKind").GetProperty("metrics");
        Assert.True(evictions.GetProperty("byKind").GetProperty("Updated").GetInt64() >= 1);
        Assert.True(cache.GetProperty("metrics").GetProperty("capturedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    private static IEnumerable<JsonElement> Routes(JsonElement overview, string service)
    {
        var snapshot = overview.GetProperty("requests").GetProperty("services").GetProperty(service).GetProperty("snapshot");
        return snapshot.ValueKind == JsonValueKind.Null ? [] : snapshot.GetProperty("routes").EnumerateArray().ToList();
    }
}
