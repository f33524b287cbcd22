using System.Net.Http.Json;
using Hive.Testing;
using Xunit.Abstractions;

namespace Hive.IntegrationTests;

[Collection(FleetCollection.Name)]
public sealed class InvalidationTests(FleetFixture fleet, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly FleetExplanation _explanation = fleet.Explain(output);

    public ValueTask DisposeAsync() => _explanation.DisposeAsync();

    [Fact]
    public async Task AnUpdatedProductIsServedFreshEverywhereWithinASecond()
    {
        var product = await FleetClient.AnyActiveProductAsync(fleet.Gateway);
        using var seller = await FleetClient.SellerAsync(fleet, product.BusinessId);
        using var admin = await FleetClient.AdminAsync(fleet);

        // A name of its own, so the search for it shows exactly this product; then featured (an admin's
        // choice) so every view holds it.
        var name = $"Kiondo zawadi {Guid.NewGuid():N}"[..26];
        await FleetClient.UpdateAsync(seller, product.Id, new { name });
        using (var featured = await admin.PutAsJsonAsync($"/api/catalog/products/{product.Id}/featured", new { featured = true }))
        {
            featured.EnsureSuccessStatusCode();
        }

        product = await FleetClient.ProductAsync(fleet.Gateway, product.Id);
        await FleetClient.WaitUntilAllViewsShowAsync(
            fleet.Gateway, product, name, product.Price, expectFeatured: true, TimeSpan.FromSeconds(10), "every cache holds the product (warmed)");

        var newPrice = product.Price + 111m;
        await FleetClient.UpdateAsync(seller, product.Id, new { price = newPrice });
        var fresh = await FleetClient.WaitUntilAllViewsShowAsync(
            fleet.Gateway, product, name, newPrice, expectFeatured: true, TimeSpan.FromSeconds(1),
            "catalog (id, slug, lists, featured, business products) and search show the new price");
        output.WriteLine($"All views fresh {fresh.TotalMilliseconds:0} ms after the update returned.");

        // Catalog and search run two replicas each behind the gateway; repeated passes reach both, and
        // once fresh, no replica may ever answer with the old price again.
        for (var pass = 0; pass < 10; pass++)
        {
            Assert.Null(await FleetClient.FirstStaleViewAsync(fleet.Gateway, product, name, newPrice, expectFeatured: true));
        }
    }
}

[Collection(ChaosFleetCollection.Name)]
public sealed class FailureTests(ChaosFleetFixture fleet, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly FleetExplanation _explanation = fleet.Explain(output);

    public ValueTask DisposeAsync() => _explanation.DisposeAsync();

    [Fact]
    public async Task WithRabbitMqStoppedAnUpdateSucceedsAndEveryCacheIsCorrectSoonAfterItReturns()
    {
        var product = await FleetClient.AnyActiveProductAsync(fleet.Gateway, skip: 3);
        using var seller = await FleetClient.SellerAsync(fleet, product.BusinessId);
        var name = $"Kikoi pwani {Guid.NewGuid():N}"[..24];
        await FleetClient.UpdateAsync(seller, product.Id, new { name });
        product = await FleetClient.ProductAsync(fleet.Gateway, product.Id);
        await FleetClient.WaitUntilAllViewsShowAsync(
            fleet.Gateway, product, name, product.Price, expectFeatured: false, TimeSpan.FromSeconds(10), "every cache holds the product (warmed)");

        await fleet.ExecuteCommandAsync("rabbitmq", Aspire.Hosting.ApplicationModel.KnownResourceCommands.StopCommand);
        var newPrice = product.Price + 7m;
        try
        {
            await FleetClient.UpdateAsync(seller, product.Id, new { price = newPrice });
        }
        finally
        {
            await fleet.ExecuteCommandAsync("rabbitmq", Aspire.Hosting.ApplicationModel.KnownResourceCommands.StartCommand);
        }

        await fleet.App.ResourceNotifications.WaitForResourceHealthyAsync("rabbitmq").WaitAsync(TimeSpan.FromSeconds(90));
        // The outbox retries every second; the consumers' own reconnect follows MassTransit's backoff,
        // which is usually under 5 s after the broker is healthy but sometimes longer on this 2-core machine.
        var fresh = await FleetClient.WaitUntilAllViewsShowAsync(
            fleet.Gateway, product, name, newPrice, expectFeatured: false, TimeSpan.FromSeconds(20),
            "the event held in the outbox reached every service once RabbitMQ was back");
        output.WriteLine($"Caches correct {fresh.TotalMilliseconds:0} ms after RabbitMQ was healthy again.");
    }

    [Fact]
    public async Task WithRedisStoppedUnderLoadReadsKeepAnsweringFromPostgres()
    {
        var product = await FleetClient.AnyActiveProductAsync(fleet.Gateway, skip: 5);
        string[] paths = [$"/api/catalog/products/{product.Id}", "/api/catalog/products?pageSize=20", "/api/catalog/categories", $"/api/catalog/products/by-slug/{product.Slug}"];

        using var load = new CancellationTokenSource();
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(bool RedisDown, int Status)>();
        var redisDown = false;
        var readers = Enumerable.Range(0, 4).Select(async worker =>
        {
            using var client = fleet.App.CreateHttpClient("gateway");
            client.Timeout = TimeSpan.FromSeconds(10);
            for (var i = 0; !load.IsCancellationRequested; i++)
            {
                var down = Volatile.Read(ref redisDown);
                using var response = await client.GetAsync(paths[(worker + i) % paths.Length]);
                outcomes.Add((down, (int)response.StatusCode));
            }
        }).ToList();

        await Eventually.TrueAsync(() => Task.FromResult(outcomes.Count > 50), TimeSpan.FromSeconds(20), "load is running");
        await fleet.ExecuteCommandAsync("redis", Aspire.Hosting.ApplicationModel.KnownResourceCommands.StopCommand);
        Volatile.Write(ref redisDown, true);
        try
        {
            var before = outcomes.Count(o => o.RedisDown);
            await Eventually.TrueAsync(() => Task.FromResult(outcomes.Count(o => o.RedisDown) > before + 200), TimeSpan.FromSeconds(30), "reads continue with Redis down");
        }
        finally
        {
            await load.CancelAsync();
            await Task.WhenAll(readers);
            await fleet.ExecuteCommandAsync("redis", Aspire.Hosting.ApplicationModel.KnownResourceCommands.StartCommand);
            await fleet.App.ResourceNotifications.WaitForResourceHealthyAsync("redis").WaitAsync(TimeSpan.FromSeconds(60));
        }

        var whileDown = outcomes.Where(o => o.RedisDown).ToList();
        output.WriteLine($"{outcomes.Count} reads, {whileDown.Count} with Redis down; statuses while down: {string.Join(", ", whileDown.GroupBy(o => o.Status).Select(g => $"{g.Key}×{g.Count()}"))}");
        Assert.All(whileDown, o => Assert.Equal(200, o.Status));
    }
}
