using System.Net;
using System.Text.Json;
using Hive.Mobile.Auth;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Models;
using Hive.Mobile.Orders;
using Hive.Mobile.Tests.Auth;
using Hive.Mobile.Tests.Fleet;
using Hive.Mobile.Tests.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Hive.Mobile.Tests.Queueing;

/// <summary>
/// The order queue's rules that a fleet cannot be made to show on demand: a sign-in that expires mid-queue,
/// a server that cannot take an order now, two buyers on one phone, outcomes that outlive the app. The
/// orders endpoint is a loopback server that answers what each test tells it to; time is a fake clock, so
/// the queue's 15-second retry timer is stepped, not waited for.
/// </summary>
public sealed class OrderQueueRuleTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(15);
    private readonly string _data = MobileClients.NewDataDirectory();
    private readonly List<Received> _received = [];
    private readonly Lock _gate = new();
    private readonly ManualNetworkMonitor _network = new(NetworkQuality.Good);
    private readonly TimerLedger _clock = new(new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    private Func<Received, IResult> _answer = Placed;
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app => app.MapPost("/api/catalog/orders", async (HttpContext context) =>
        {
            var request = await JsonSerializer.DeserializeAsync(context.Request.Body, HiveJsonContext.Default.OrderRequest);
            var received = new Received(
                context.Request.Headers["Idempotency-Key"].ToString(),
                context.Request.Headers.Authorization.ToString(),
                request!);
            Func<Received, IResult> answer;
            lock (_gate)
            {
                _received.Add(received);
                answer = _answer;
            }

            return answer(received);
        }));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task EveryOrderGoesOutWithItsOwnIdempotencyKeyTheBuyersTokenAndWhatWasOrdered()
    {
        await using var client = Client();
        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));

        var first = await client.Orders.PlaceAsync(Order("+254712000001", productId: 11, quantity: 2));
        var second = await client.Orders.PlaceAsync(Order("+254712000002", productId: 12, quantity: 1));
        var placed = await client.Orders.Queue.WhenFinishedAsync(second.IdempotencyKey).WaitAsync(Deadline);

        Assert.NotEqual(first.IdempotencyKey, second.IdempotencyKey);
        Assert.True(second.Sequence > first.Sequence);
        Assert.Equal(0, first.Attempts);
        var sent = Sent();
        Assert.Equal([first.IdempotencyKey, second.IdempotencyKey], sent.Select(r => r.Key));
        Assert.All(sent, r => Assert.Equal("Bearer token-a", r.Authorization));
        Assert.Equal("+254712000001", sent[0].Order.CustomerPhone);
        Assert.Equal((11L, 2), (sent[0].Order.Lines[0].ProductId, sent[0].Order.Lines[0].Quantity));
        Assert.True(placed.Placed);
        Assert.Equal(second.IdempotencyKey, placed.IdempotencyKey);
        Assert.Equal(OrderId(second.IdempotencyKey), placed.Order!.Id);
        Assert.Equal("+254712000002", placed.Request.CustomerPhone);
        Assert.Null(placed.Problem);
    }

    [Fact]
    public async Task AnOrderPlacedOfflineIsKeptAndSentWhenThePhoneIsOnlineAgain()
    {
        _network.Quality = NetworkQuality.Offline;
        await using var client = Client();
        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));
        var placedSeen = new TaskCompletionSource<OrderOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Orders.Queue.OrderPlaced += (_, outcome) => placedSeen.TrySetResult(outcome);

        var queued = await client.Orders.PlaceAsync(Order("+254712000003"));
        await client.Orders.Queue.WhenIdleAsync();

        Assert.Equal(_clock.GetUtcNow(), queued.QueuedAt);
        var pending = Assert.Single(await client.Orders.Queue.PendingAsync());
        Assert.Equal((queued.Sequence, queued.IdempotencyKey, queued.QueuedAt, 0), (pending.Sequence, pending.IdempotencyKey, pending.QueuedAt, pending.Attempts));
        Assert.Equal(queued.Request, pending.Request with { Lines = queued.Request.Lines });
        Assert.Empty(Sent());
        Assert.Equal(0, client.Statistics.RequestsSent);

        _network.Quality = NetworkQuality.Poor;
        var outcome = await placedSeen.Task.WaitAsync(Deadline);

        Assert.Equal(queued.IdempotencyKey, outcome.IdempotencyKey);
        Assert.Same(outcome, await client.Orders.Queue.WhenFinishedAsync(queued.IdempotencyKey).WaitAsync(Deadline));
        Assert.Empty(await client.Orders.Queue.PendingAsync());
    }

    [Fact]
    public async Task AnExpiredSignInPausesTheQueueUntilTheBuyerSignsInAgain()
    {
        _answer = r => r.Authorization == "Bearer fresh" ? Placed(r) : Results.Problem("the token expired", statusCode: 401);
        await using var client = Client();
        var signInAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Orders.Queue.SignInRequired += (_, _) => signInAsked.TrySetResult();
        client.UseAccessTokens(new FixedTokens("buyer-a", "expired"));

        var first = await client.Orders.PlaceAsync(Order("+254712000004"));
        await signInAsked.Task.WaitAsync(Deadline);

        Assert.True(client.Orders.Queue.IsPaused);
        var second = await client.Orders.PlaceAsync(Order("+254712000005"));
        var pending = await client.Orders.Queue.PendingAsync();
        Assert.Equal([first.IdempotencyKey, second.IdempotencyKey], pending.Select(o => o.IdempotencyKey));
        Assert.Equal(1, pending[0].Attempts);
        Assert.Equal([first.IdempotencyKey], Sent().Select(r => r.Key));

        client.UseAccessTokens(new FixedTokens("buyer-a", "fresh"));
        var outcomes = await Task.WhenAll(
            client.Orders.Queue.WhenFinishedAsync(first.IdempotencyKey).WaitAsync(Deadline),
            client.Orders.Queue.WhenFinishedAsync(second.IdempotencyKey).WaitAsync(Deadline));

        Assert.False(client.Orders.Queue.IsPaused);
        Assert.All(outcomes, o => Assert.True(o.Placed));
        Assert.Equal([first.IdempotencyKey, first.IdempotencyKey, second.IdempotencyKey], Sent().Select(r => r.Key));
        Assert.Empty(await client.Orders.Queue.PendingAsync());
    }

    [Fact]
    public async Task AnOrderTheServerCannotTakeNowWaitsForTheRetryTimerAndKeepsItsKey()
    {
        var (client, queued) = await OrderWaitingForItsRetryAsync("+254712000006");
        await using var _ = client;

        var waiting = Assert.Single(await client.Orders.Queue.PendingAsync());
        Assert.Equal(1, waiting.Attempts);
        _clock.Fake.Advance(RetryInterval - TimeSpan.FromSeconds(1));
        Assert.Single(Sent());

        _clock.Fake.Advance(TimeSpan.FromSeconds(1));
        var outcome = await client.Orders.Queue.WhenFinishedAsync(queued.IdempotencyKey).WaitAsync(Deadline);

        Assert.True(outcome.Placed);
        Assert.Equal([queued.IdempotencyKey, queued.IdempotencyKey], Sent().Select(r => r.Key));
    }

    [Fact]
    public async Task ANewSignInTriesAnOrderWaitingForItsRetryAtOnce()
    {
        var (client, queued) = await OrderWaitingForItsRetryAsync("+254712000015");
        await using var _ = client;

        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a2"));
        var outcome = await client.Orders.Queue.WhenFinishedAsync(queued.IdempotencyKey).WaitAsync(Deadline);

        Assert.True(outcome.Placed);
        Assert.Equal(["Bearer token-a", "Bearer token-a2"], Sent().Select(r => r.Authorization));
    }

    [Fact]
    public async Task AnOrderLeftByAnEarlierRunGoesOutWhenTheAppStarts()
    {
        _network.Quality = NetworkQuality.Offline;
        string key;
        await using (var first = Client())
        {
            key = (await first.Orders.PlaceAsync(Order("+254712000016"))).IdempotencyKey;
        }

        _network.Quality = NetworkQuality.Good;
        await using var next = Client();
        var outcome = await next.Orders.Queue.WhenFinishedAsync(key).WaitAsync(Deadline);

        Assert.True(outcome.Placed);
        Assert.Equal([key], Sent().Select(r => r.Key));
    }

    [Fact]
    public async Task ARefusedOrderLeavesTheQueueWithTheServersProblemAndTheOrdersBehindItStillGo()
    {
        _answer = r => r.Order.CustomerPhone == "+254712000007"
            ? Results.Problem("Only 1 left of product 11.", title: "Out of stock", statusCode: 409)
            : Placed(r);
        await using var client = Client();
        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));
        var refusedSeen = new List<OrderOutcome>();
        var placedSeen = new List<OrderOutcome>();
        client.Orders.Queue.OrderRefused += (_, o) => { lock (refusedSeen) { refusedSeen.Add(o); } };
        client.Orders.Queue.OrderPlaced += (_, o) => { lock (placedSeen) { placedSeen.Add(o); } };

        _network.Quality = NetworkQuality.Offline;
        var refused = await client.Orders.PlaceAsync(Order("+254712000007"));
        var placed = await client.Orders.PlaceAsync(Order("+254712000008"));
        await client.Orders.Queue.WhenIdleAsync();
        _network.Quality = NetworkQuality.Good;
        var refusal = await client.Orders.Queue.WhenFinishedAsync(refused.IdempotencyKey).WaitAsync(Deadline);
        await client.Orders.Queue.WhenFinishedAsync(placed.IdempotencyKey).WaitAsync(Deadline);

        Assert.False(refusal.Placed);
        Assert.Null(refusal.Order);
        Assert.Equal((409, "Out of stock", "Only 1 left of product 11."), (refusal.Problem!.Status, refusal.Problem.Title, refusal.Problem.Detail));
        Assert.Equal([refused.IdempotencyKey], refusedSeen.Select(o => o.IdempotencyKey));
        Assert.Equal([placed.IdempotencyKey], placedSeen.Select(o => o.IdempotencyKey));
        Assert.Equal([refused.IdempotencyKey, placed.IdempotencyKey], Sent().Select(r => r.Key));
        Assert.Empty(await client.Orders.Queue.PendingAsync());
    }

    [Fact]
    public async Task AnotherBuyersOrdersWaitOnThePhoneUntilThatBuyerSignsInAgain()
    {
        _network.Quality = NetworkQuality.Offline;
        await using var client = Client();
        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));
        var ofA = await client.Orders.PlaceAsync(Order("+254712000009"));
        client.UseAccessTokens(new FixedTokens("buyer-b", "token-b"));
        var ofB = await client.Orders.PlaceAsync(Order("+254712000010"));

        _network.Quality = NetworkQuality.Good;
        await client.Orders.Queue.WhenFinishedAsync(ofB.IdempotencyKey).WaitAsync(Deadline);

        Assert.Equal([(ofB.IdempotencyKey, "Bearer token-b")], Sent().Select(r => (r.Key, r.Authorization)));
        Assert.Equal([ofA.IdempotencyKey], (await client.Orders.Queue.PendingAsync()).Select(o => o.IdempotencyKey));

        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));
        await client.Orders.Queue.WhenFinishedAsync(ofA.IdempotencyKey).WaitAsync(Deadline);

        Assert.Equal((ofA.IdempotencyKey, "Bearer token-a"), Sent().Select(r => (r.Key, r.Authorization)).Last());
    }

    [Fact]
    public async Task OutcomesOutliveTheAppAndAreTakenOnceInTheOrderTheOrdersWerePlaced()
    {
        _answer = r => r.Order.CustomerPhone == "+254712000012" ? Results.Problem("No such product.", statusCode: 404) : Placed(r);
        string placedKey, refusedKey, pendingKey;
        await using (var first = Client())
        {
            first.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));
            placedKey = (await first.Orders.PlaceAsync(Order("+254712000011"))).IdempotencyKey;
            refusedKey = (await first.Orders.PlaceAsync(Order("+254712000012"))).IdempotencyKey;
            await first.Orders.Queue.WhenFinishedAsync(refusedKey).WaitAsync(Deadline);
            _network.Quality = NetworkQuality.Offline;
            pendingKey = (await first.Orders.PlaceAsync(Order("+254712000013"))).IdempotencyKey;
        }

        await using var second = Client();
        var outcomes = await second.Orders.Queue.TakeOutcomesAsync();

        Assert.Equal([placedKey, refusedKey], outcomes.Select(o => o.IdempotencyKey));
        Assert.Equal(OrderId(placedKey), outcomes[0].Order!.Id);
        Assert.Equal("+254712000011", outcomes[0].Request.CustomerPhone);
        Assert.Null(outcomes[0].Problem);
        Assert.Null(outcomes[1].Order);
        Assert.Equal((404, "No such product."), (outcomes[1].Problem!.Status, outcomes[1].Problem!.Detail));
        Assert.Equal("+254712000012", outcomes[1].Request.CustomerPhone);
        Assert.Empty(await second.Orders.Queue.TakeOutcomesAsync());
        Assert.Equal([pendingKey], (await second.Orders.Queue.PendingAsync()).Select(o => o.IdempotencyKey));
    }

    [Fact]
    public async Task AWaitForAnOrderStillQueuedEndsWhenTheAppCloses()
    {
        _network.Quality = NetworkQuality.Offline;
        var client = Client();
        var queued = await client.Orders.PlaceAsync(Order("+254712000014"));
        var waiting = client.Orders.Queue.WhenFinishedAsync(queued.IdempotencyKey);

        await client.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));
    }

    [Fact]
    public async Task NoOrderIsNotAnOrder()
    {
        await using var client = Client();
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.Orders.PlaceAsync(null!));
        Assert.Empty(await client.Orders.Queue.PendingAsync());
    }

    /// <summary>
    /// A client (no retries of its own, buyer-a with token-a) whose order the server refused once with a 503: the
    /// order waits for the queue's retry timer, which has been made. The server takes it the next time.
    /// </summary>
    private async Task<(HiveClient Client, QueuedOrder Queued)> OrderWaitingForItsRetryAsync(string phone)
    {
        var refusals = 1;
        _answer = r => Interlocked.Decrement(ref refusals) >= 0 ? Results.Problem("try later", statusCode: 503) : Placed(r);
        var client = Client(o => o.MaxRetries = 0);
        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));
        var queued = await client.Orders.PlaceAsync(Order(phone));
        await _clock.WhenTimerAsync(RetryInterval).WaitAsync(Deadline);
        return (client, queued);
    }

    private static OrderRequest Order(string phone, long productId = 11, int quantity = 1)
        => new("Wanjiru Test", phone, "Nairobi", [new OrderLineRequest(productId, quantity)]);

    /// <summary>Each order's server id is derived from its key, so a test can tell whose answer an outcome carries.</summary>
    private static long OrderId(string key) => Convert.ToInt64(key[..8], 16);

    private static IResult Placed(Received received) => Results.Json(
        new
        {
            id = OrderId(received.Key), businessId = 1, status = "pending", total = 10m, currency = "KES", createdAt = DateTimeOffset.UnixEpoch,
            lines = received.Order.Lines.Select((l, i) => new { lineNo = i + 1, productId = l.ProductId, quantity = l.Quantity, unitPrice = 10m }),
        },
        statusCode: 201);

    private HiveClient Client(Action<HiveClientOptions>? configure = null) => MobileClients.Create(_server.Address, _data, _network, o =>
    {
        o.TimeProvider = _clock;
        o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        configure?.Invoke(o);
    });

    private List<Received> Sent()
    {
        lock (_gate)
        {
            return [.. _received];
        }
    }

    private sealed record Received(string Key, string Authorization, OrderRequest Order);

    /// <summary>A fake clock that also says when a timer of a given period was made (so a test steps time only after the queue set its retry).</summary>
    private sealed class TimerLedger(FakeTimeProvider fake) : TimeProvider
    {
        private readonly List<(TimeSpan Due, TaskCompletionSource Made)> _wanted = [];
        private readonly List<TimeSpan> _made = [];

        public FakeTimeProvider Fake { get; } = fake;

        public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

        public override long GetTimestamp() => Fake.GetTimestamp();

        public override long TimestampFrequency => Fake.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = Fake.CreateTimer(callback, state, dueTime, period);
            lock (_made)
            {
                _made.Add(dueTime);
                foreach (var wanted in _wanted.Where(w => w.Due == dueTime))
                {
                    wanted.Made.TrySetResult();
                }
            }

            return timer;
        }

        public Task WhenTimerAsync(TimeSpan dueTime)
        {
            lock (_made)
            {
                if (_made.Contains(dueTime))
                {
                    return Task.CompletedTask;
                }

                var made = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _wanted.Add((dueTime, made));
                return made.Task;
            }
        }
    }
}
