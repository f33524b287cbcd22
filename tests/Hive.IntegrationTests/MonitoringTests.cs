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

    [Fact(Skip = "Fails in the merged fleet: the metrics view does not report every service's routes within 60 s (it reads one replica each, through the admin's forwarded token); open in issue 15, not yet diagnosed")]
    public async Task TheFleetMetricsViewGivesEveryServicesRoutesPostgresAndRabbitMq()
    {
        // Catalog and search run two replicas and the view reads whichever one discovery picks: ask each
        // route often enough that both replicas have served it.
        for (var i = 0; i < 10; i++)
        {
            (await fleet.Gateway.GetAsync("/api/catalog/categories")).EnsureSuccessStatusCode();
            (await fleet.Gateway.GetAsync("/api/search?q=kikoi")).EnsureSuccessStatusCode();
        }


        using var admin = await FleetClient.AdminAsync(fleet);
        var overview = await Eventually.SucceedsAsync(
            () => admin.GetFromJsonAsync<JsonElement>("/admin/metrics"),
            o => o.GetProperty("requests").GetProperty("services").EnumerateObject()
                    .Where(s => FleetServices.Contains(s.Name))
                    .All(s => s.Value.GetProperty("answered").GetBoolean())
                && Routes(o, "catalog").Contains("GET /api/catalog/categories")
                && Routes(o, "gateway").Count > 0,
            TimeSpan.FromSeconds(60),
            "every service answered with its routes");

        var services = overview.GetProperty("requests").GetProperty("services").EnumerateObject().Select(s => s.Name).ToList();
        Assert.Superset(new HashSet<string> { "catalog", "search", "media", "metrics", "gateway" }, services.ToHashSet());
        Assert.Contains(Routes(overview, "search"), r => r.StartsWith("GET /api/search", StringComparison.Ordinal));
        Assert.True(overview.GetProperty("requests").GetProperty("count").GetInt64() > 0);

        var postgres = overview.GetProperty("postgres");
        Assert.Equal(JsonValueKind.Null, postgres.GetProperty("slowQueriesUnavailable").ValueKind);
        Assert.NotEmpty(postgres.GetProperty("slowQueries").EnumerateArray());
        var queues = overview.GetProperty("rabbitMq").GetProperty("queues").EnumerateArray().ToList();
        Assert.All(queues, q => Assert.True(q.GetProperty("consumers").GetInt64() >= 1, q.GetProperty("queue").GetString()));
        output.WriteLine(overview.GetProperty("requests").GetProperty("services").GetProperty("catalog").ToString());
    }

    /// <summary>The services whose request figures the view must carry (identity, the token issuer, is not yet one of them).</summary>
    private static readonly HashSet<string> FleetServices = ["catalog", "search", "media", "metrics", "gateway"];

    private static List<string> Routes(JsonElement overview, string service)
    {
        var snapshot = overview.GetProperty("requests").GetProperty("services").GetProperty(service).GetProperty("snapshot");
        return snapshot.ValueKind == JsonValueKind.Null ? [] : [.. snapshot.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("route").GetString()!)];
    }
}
