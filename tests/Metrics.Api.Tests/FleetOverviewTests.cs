using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Caching;
using Hive.Contracts;
using Hive.ServiceDefaults.RequestMetrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
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
    [InlineData("?slowQueries=ten", "slowQueries")]
    [InlineData("?slowRequests=1e3", "slowRequests")]
    public async Task OutOfRangeOrUnknownParametersAreABadRequestNamingTheField(string query, string field)
    {
        using var client = metrics.AdminClient();

        var response = await client.GetAsync("/admin/metrics" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("One or more validation errors occurred.", problem.GetProperty("title").GetString());
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

    [Fact]
    public async Task EveryReplicaThatAnnouncedItselfIsReadAtItsOwnAddressAndTheServiceCombinesThem()
    {
        await using var first = await CatalogReplica.StartAsync("catalog-replica-a", metrics);
        await using var second = await CatalogReplica.StartAsync("catalog-replica-b", metrics);
        // Each replica serves the route a different number of times: reading one of them cannot give three.
        (await first.Client.GetAsync("/hello/a")).EnsureSuccessStatusCode();
        (await first.Client.GetAsync("/hello/b")).EnsureSuccessStatusCode();
        (await second.Client.GetAsync("/hello/c")).EnsureSuccessStatusCode();

        var catalog = await Eventually.SucceedsAsync(
            async () => (await metrics.OverviewAsync()).GetProperty("requests").GetProperty("services").GetProperty("catalog"),
            c => c.GetProperty("answered").GetBoolean() && Hello(c.GetProperty("snapshot")) is { } hello && hello.GetProperty("count").GetInt64() == 3,
            Deadline,
            "both catalog replicas announced and read");

        var replicas = catalog.GetProperty("replicas");
        Assert.Equal(["catalog-replica-a", "catalog-replica-b"], replicas.EnumerateObject().Select(r => r.Name).Order());
        Assert.Equal(2, Hello(replicas.GetProperty("catalog-replica-a").GetProperty("snapshot"))!.Value.GetProperty("count").GetInt64());
        Assert.Equal(1, Hello(replicas.GetProperty("catalog-replica-b").GetProperty("snapshot"))!.Value.GetProperty("count").GetInt64());
        Assert.Equal("catalog", catalog.GetProperty("snapshot").GetProperty("service").GetString());

        static JsonElement? Hello(JsonElement snapshot) => snapshot.ValueKind == JsonValueKind.Object
            ? snapshot.GetProperty("routes").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("route").GetString() == "GET /hello/{name}")
            : null;
    }

    /// <summary>
    /// A real, listening catalog replica as far as the fleet view is concerned: its own request figures and
    /// its announcement in the coordination Redis, under the replica name Aspire would give it.
    /// </summary>
    private sealed class CatalogReplica(WebApplication app, StackExchange.Redis.IConnectionMultiplexer redis) : IAsyncDisposable
    {
        public HttpClient Client { get; } = new() { BaseAddress = new Uri(app.Urls.First()) };

        public static async Task<CatalogReplica> StartAsync(string name, MetricsFixture metrics)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration["OTEL_SERVICE_NAME"] = "catalog";
            builder.Configuration["OTEL_RESOURCE_ATTRIBUTES"] = $"service.name=catalog,service.instance.id={name}";
            builder.Configuration["ConnectionStrings:redis-coordination"] = metrics.CoordinationConfiguration;
            var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(metrics.CacheConfiguration);
            builder.Services.AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(redis);
            builder.AddRequestMetrics();
            builder.AddHiveCaching("catalog");
            var app = builder.Build();
            app.MapRequestMetrics();
            app.MapGet("/hello/{name}", (string name) => TypedResults.Ok(name));
            await app.StartAsync();
            return new CatalogReplica(app, redis);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            await redis.DisposeAsync();
        }
    }

    private static IEnumerable<JsonElement> Routes(JsonElement overview, string service)
    {
        var snapshot = overview.GetProperty("requests").GetProperty("services").GetProperty(service).GetProperty("snapshot");
        return snapshot.ValueKind == JsonValueKind.Null ? [] : snapshot.GetProperty("routes").EnumerateArray().ToList();
    }
}
