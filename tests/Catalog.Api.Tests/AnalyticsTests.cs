using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Caching;
using Hive.Messaging;
using Hive.Messaging.Analytics;
using Hive.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Catalog.Api.Tests;

[Collection(CatalogCollection.Name)]
public sealed class AnalyticsTests(CatalogFixture catalog)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ViewsAndPurchasesArePublishedInBatchesForTheMetricsService()
    {
        using var client = TestTokens.Buyer(catalog.Factory);
        // The flood bound counts per client: a signed-in buyer by its user id, not by the forwarded address.
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9, 10.0.0.1");
        (await client.GetAsync("/api/catalog/products/11")).EnsureSuccessStatusCode();
        using var order = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/orders")
        {
            Content = JsonContent.Create(new
            {
                customerName = "Njeri Kamau",
                customerPhone = "+254722000111",
                deliveryCounty = "Nairobi",
                lines = new[] { new { productId = 13L, quantity = 3 } },
            }),
        };
        order.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(order)).StatusCode);

        var seen = new List<JsonElement>();
        await Eventually.TrueAsync(
            async () =>
            {
                seen.AddRange(await TakeAnalyticsEventsAsync());
                return seen.Any(e => Is(e, "View", 11)) && seen.Any(e => Is(e, "Purchase", 13) && e.GetProperty("quantity").GetInt32() == 3);
            },
            Deadline,
            "the view and the purchase in the analytics queue");

        var purchase = seen.First(e => Is(e, "Purchase", 13));
        Assert.Equal(1, purchase.GetProperty("businessId").GetInt64());
        Assert.StartsWith("u:buyer-", purchase.GetProperty("clientId").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, catalog.Factory.Services.GetRequiredService<AnalyticsRecorder>().Dropped);
    }

    [Fact]
    public async Task TrendingFollowsTheMetricsBoardsAndFallsBackToPostgresWhileTheyAreEmpty()
    {
        using var client = catalog.Factory.CreateClient();
        // No board has anything for this week yet: the answer comes from the seeded analytics_events (products 1 to 9).
        var fallback = await client.GetFromJsonAsync<JsonElement>("/api/catalog/products/trending?window=week&limit=2");
        Assert.All(fallback.EnumerateArray(), t => Assert.InRange(t.GetProperty("product").GetProperty("id").GetInt64(), 1, 9));

        // The metrics service moves the boards as purchases arrive (here written the way it writes them).
        await using var metricsCache = MetricsCache();
        await metricsCache.Cache.LeaderboardIncrementAsync(TrendingBoards.Score, "23", 10_000);

        var trending = await Eventually.SucceedsAsync(
            () => client.GetFromJsonAsync<JsonElement>("/api/catalog/products/trending?window=hour&limit=3"),
            t => t.GetArrayLength() > 0 && t[0].GetProperty("product").GetProperty("id").GetInt64() == 23,
            Deadline,
            "product 23 at the top of this hour's trending");
        Assert.Equal(10_000, trending[0].GetProperty("score").GetInt64());
    }

    private static bool Is(JsonElement e, string type, long productId)
        => e.GetProperty("type").GetString() == type && e.GetProperty("productId").ValueKind == JsonValueKind.Number && e.GetProperty("productId").GetInt64() == productId;

    /// <summary>Takes what is in the metrics service's analytics queue (no metrics service runs here).</summary>
    private async Task<List<JsonElement>> TakeAnalyticsEventsAsync()
    {
        var batches = await QueueReader.TakeMessagesAsync(catalog.RabbitMqUri, AnalyticsQueues.Events);
        Assert.All(batches, batch => Assert.Equal("catalog", batch.GetProperty("source").GetString()));
        return batches.SelectMany(batch => batch.GetProperty("events").EnumerateArray()).ToList();
    }

    private MetricsNamespace MetricsCache()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton(catalog.Factory.Services.GetRequiredService<IConnectionMultiplexer>());
        services.AddHiveCaching(TrendingBoards.Namespace);
        return new MetricsNamespace(services.BuildServiceProvider());
    }

    private sealed class MetricsNamespace(ServiceProvider provider) : IAsyncDisposable
    {
        public IRedisPrimitives Cache { get; } = provider.GetRequiredService<IRedisPrimitives>();

        public ValueTask DisposeAsync() => provider.DisposeAsync();
    }
}
