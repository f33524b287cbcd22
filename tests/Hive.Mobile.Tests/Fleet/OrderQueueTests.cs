using Hive.Mobile.Connectivity;
using Hive.Mobile.Models;
using Hive.Mobile.Tests.Network;
using Hive.Testing;
using Npgsql;

namespace Hive.Mobile.Tests.Fleet;

/// <summary>Orders placed on a phone that goes offline, gets killed and comes back.</summary>
[Collection(MobileFleetCollection.Name)]
public sealed class OrderQueueTests(MobileFleetFixture fleet) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _data = MobileClients.NewDataDirectory();
    private BadNetworkProxy _network = null!;

    public Task InitializeAsync()
    {
        _network = new BadNetworkProxy(fleet.Gateway) { OneWayLatency = TimeSpan.FromMilliseconds(50) };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _network.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task AnOrderQueuedOfflineAndCutOffMidSendIsPlacedExactlyOnceByTheNextClient()
    {
        var (productId, businessId, _) = await MobileClients.ActiveProductAsync(fleet.Direct, skip: 6);
        var buyer = await TestBuyer.TokensAsync(fleet.Direct, businessId);
        var phone = new ManualNetworkMonitor(NetworkQuality.Offline);
        _network.Offline = true;

        string key;
        await using (var first = MobileClients.Create(_network.Address, _data, phone))
        {
            first.UseAccessTokens(buyer);
            var queued = await first.Orders.PlaceAsync(Order(productId, "+254712000001"));
            key = queued.IdempotencyKey;
            Assert.Single(await first.Orders.Queue.PendingAsync());
            Assert.Equal(0, first.Statistics.RequestsSent);

            // The network returns, the order goes out and reaches the server, but its answer never comes back...
            _network.HoldAnswers = true;
            _network.Offline = false;
            phone.Quality = NetworkQuality.Good;
            await Eventually.TrueAsync(() => OrderCountAsync(key).ContinueWith(t => t.Result == 1), Deadline, "the order reached the server");

            // ...and the app is killed mid-send.
        }

        _network.HoldAnswers = false;
        await using var second = MobileClients.Create(_network.Address, _data);
        second.UseAccessTokens(buyer);
        var pending = Assert.Single(await second.Orders.Queue.PendingAsync());
        Assert.Equal(key, pending.IdempotencyKey);

        var outcome = await second.Orders.Queue.WhenFinishedAsync(key).WaitAsync(Deadline);

        Assert.True(outcome.Placed, $"refused: {outcome.Problem?.Detail}");
        Assert.Equal(1, await OrderCountAsync(key));
        Assert.Equal(await OrderIdAsync(key), outcome.Order!.Id);
        Assert.Empty(await second.Orders.Queue.PendingAsync());
    }

    [Fact]
    public async Task QueuedOrdersAreSentInOrderWhenTheNetworkReturns()
    {
        var (productId, businessId, _) = await MobileClients.ActiveProductAsync(fleet.Direct, skip: 7);
        var phone = new ManualNetworkMonitor(NetworkQuality.Offline);
        await using var client = MobileClients.Create(_network.Address, _data, phone);
        client.UseAccessTokens(await TestBuyer.TokensAsync(fleet.Direct, businessId));

        var keys = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            keys.Add((await client.Orders.PlaceAsync(Order(productId, $"+25471200010{i}"))).IdempotencyKey);
        }

        phone.Quality = NetworkQuality.Moderate;
        var outcomes = await Task.WhenAll(keys.Select(k => client.Orders.Queue.WhenFinishedAsync(k).WaitAsync(Deadline)));

        Assert.All(outcomes, o => Assert.True(o.Placed));
        var ids = outcomes.Select(o => o.Order!.Id).ToList();
        Assert.Equal(ids.Order().ToList(), ids);
        foreach (var key in keys)
        {
            Assert.Equal(1, await OrderCountAsync(key));
        }
    }

    [Fact]
    public async Task ARefusedOrderLeavesTheQueueWithTheServersProblemAndTheNextOneStillGoes()
    {
        var (productId, businessId, _) = await MobileClients.ActiveProductAsync(fleet.Direct, skip: 8);
        await using var client = MobileClients.Create(_network.Address, _data);
        client.UseAccessTokens(await TestBuyer.TokensAsync(fleet.Direct, businessId));
        var refusedSeen = new TaskCompletionSource<Orders.OrderOutcome>();
        client.Orders.Queue.OrderRefused += (_, outcome) => refusedSeen.TrySetResult(outcome);

        var bad = await client.Orders.PlaceAsync(Order(productId, "not a phone"));
        var good = await client.Orders.PlaceAsync(Order(productId, "+254712000200"));

        var refused = await client.Orders.Queue.WhenFinishedAsync(bad.IdempotencyKey).WaitAsync(Deadline);
        var placed = await client.Orders.Queue.WhenFinishedAsync(good.IdempotencyKey).WaitAsync(Deadline);

        Assert.False(refused.Placed);
        Assert.Equal(400, refused.Problem!.Status);
        Assert.Contains("customerPhone", refused.Problem.Errors!.Keys);
        Assert.Same(refused, await refusedSeen.Task.WaitAsync(Deadline));
        Assert.True(placed.Placed);
        Assert.Equal(0, await OrderCountAsync(bad.IdempotencyKey));
        Assert.Empty(await client.Orders.Queue.PendingAsync());
        var taken = await client.Orders.Queue.TakeOutcomesAsync();
        Assert.Equal([bad.IdempotencyKey, good.IdempotencyKey], taken.Select(o => o.IdempotencyKey));
    }

    private static OrderRequest Order(long productId, string phone)
        => new("Wanjiru Test", phone, "Nairobi", [new OrderLineRequest(productId, 1)]);

    private async Task<long> OrderCountAsync(string key)
    {
        await using var connection = await fleet.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orders WHERE idempotency_key = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> OrderIdAsync(string key)
    {
        await using var connection = await fleet.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM orders WHERE idempotency_key = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
