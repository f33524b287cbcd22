using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace Hive.IntegrationTests;

[Collection(FleetCollection.Name)]
public sealed class MonitoringTests(FleetFixture fleet, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly FleetExplanation _explanation = fleet.Explain(output);

    public ValueTask DisposeAsync() => _explanation.DisposeAsync();

    [Fact]
    public async Task TheHiveDatabaseResourceShowsItsHealth()
    {
        await Eventually.TrueAsync(
            async () => (await fleet.CurrentStatesAsync()).Values.Any(e => e.Resource.Name == "hive" && e.Snapshot.HealthStatus == HealthStatus.Healthy),
            TimeSpan.FromSeconds(60),
            "the hive database resource healthy");
    }

    [Fact]
    public async Task APurchaseThroughTheGatewayTakesTheProductToTheTopOfTrendingWithinAMinute()
    {
        var page = await fleet.Gateway.GetFromJsonAsync<JsonElement>("/api/catalog/products?pageSize=50&sort=price");
        var product = page.GetProperty("items").EnumerateArray().Last();
        var id = product.GetProperty("id").GetInt64();

        using var buyer = await FleetClient.SignedInAsync(fleet, "buyer-2@hive.test");
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            using var order = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/orders")
            {
                Content = JsonContent.Create(new
                {
                    customerName = "Wambui Njoroge",
                    customerPhone = "+254711222333",
                    deliveryCounty = "Nyeri",
                    lines = new[] { new { productId = id, quantity = 1 } },
                }),
            };
            order.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var placed = await buyer.SendAsync(order);
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        }

        await Eventually.TrueAsync(
            async () =>
            {
                var trending = await fleet.Gateway.GetFromJsonAsync<JsonElement>("/api/catalog/products/trending?window=hour&limit=5");
                return trending.GetArrayLength() > 0 && trending[0].GetProperty("product").GetProperty("id").GetInt64() == id;
            },
            TimeSpan.FromSeconds(60),
            $"product {id} first in this hour's trending");
        output.WriteLine($"Purchase to the top of trending: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task TheFleetMetricsViewGivesEveryReplicasRoutesPostgresAndRabbitMq()
    {
        for (var i = 0; i < 4; i++)
        {
            (await fleet.Gateway.GetAsync("/api/catalog/categories")).EnsureSuccessStatusCode();
            (await fleet.Gateway.GetAsync("/api/search?q=kikoi")).EnsureSuccessStatusCode();
        }

        // Catalog and search run two replicas each; the view reads every one at its own address, so it
        // does not matter which of them the gateway's requests reached.
        using var admin = await FleetClient.AdminAsync(fleet);
        var overview = await Eventually.SucceedsAsync(
            () => admin.GetFromJsonAsync<JsonElement>("/admin/metrics"),
            o => FleetServices.All(name => Service(o, name) is { } s && s.GetProperty("answered").GetBoolean())
                && Replicas(o, "catalog").Count == 2
                && Replicas(o, "search").Count == 2
                && Routes(o, "catalog").Contains("GET /api/catalog/categories")
                && Routes(o, "gateway").Count > 0,
            TimeSpan.FromSeconds(90),
            "every service and every replica answered with its routes");

        var catalog = Service(overview, "catalog")!.Value;
        var categories = catalog.GetProperty("snapshot").GetProperty("routes").EnumerateArray()
            .Single(r => r.GetProperty("route").GetString() == "GET /api/catalog/categories");
        var perReplica = catalog.GetProperty("replicas").EnumerateObject()
            .Sum(r => r.Value.GetProperty("snapshot").GetProperty("routes").EnumerateArray()
                .Where(x => x.GetProperty("route").GetString() == "GET /api/catalog/categories")
                .Sum(x => x.GetProperty("count").GetInt64()));
        Assert.True(categories.GetProperty("count").GetInt64() >= 4);
        Assert.Equal(perReplica, categories.GetProperty("count").GetInt64());
        Assert.All(Replicas(overview, "catalog"), name => Assert.StartsWith("catalog-", name, StringComparison.Ordinal));
        Assert.Contains(Routes(overview, "search"), r => r.StartsWith("GET /api/search", StringComparison.Ordinal));
        Assert.NotEmpty(Routes(overview, "identity"));
        Assert.True(overview.GetProperty("requests").GetProperty("count").GetInt64() > 0);

        var postgres = overview.GetProperty("postgres");
        Assert.Equal(JsonValueKind.Null, postgres.GetProperty("slowQueriesUnavailable").ValueKind);
        Assert.NotEmpty(postgres.GetProperty("slowQueries").EnumerateArray());
        var queues = overview.GetProperty("rabbitMq").GetProperty("queues").EnumerateArray().ToList();
        Assert.All(queues, q => Assert.True(q.GetProperty("consumers").GetInt64() >= 1, q.GetProperty("queue").GetString()));
        output.WriteLine(catalog.ToString());
    }

    /// <summary>The services whose request figures the view must carry.</summary>
    private static readonly HashSet<string> FleetServices = ["catalog", "search", "media", "identity", "metrics", "gateway"];

    private static JsonElement? Service(JsonElement overview, string service)
        => overview.GetProperty("requests").GetProperty("services").TryGetProperty(service, out var s) ? s : null;

    private static List<string> Replicas(JsonElement overview, string service)
        => Service(overview, service) is { } s && s.TryGetProperty("replicas", out var replicas)
            ? [.. replicas.EnumerateObject().Where(r => r.Value.GetProperty("snapshot").ValueKind == JsonValueKind.Object).Select(r => r.Name)]
            : [];

    private static List<string> Routes(JsonElement overview, string service)
    {
        if (Service(overview, service) is not { } s || s.GetProperty("snapshot").ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return [.. s.GetProperty("snapshot").GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("route").GetString()!)];
    }
}
