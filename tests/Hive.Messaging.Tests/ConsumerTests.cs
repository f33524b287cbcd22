using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Hive.Caching;
using Hive.Contracts;
using Hive.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Hive.Messaging.Tests;

public sealed class ConsumerTests(ConsumerHostFixture host) : IClassFixture<ConsumerHostFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>How far a timer may fire ahead of the wall clock's count of the same wait.</summary>
    private const double TimerSlackMs = 5;

    private static ProductChanged Change(long id, long version) =>
        new(id, 1, 2, $"product-{id}", ProductChangeKind.Updated, version, DateTimeOffset.UtcNow);

    private Task PublishAsync(ProductChanged change) => host.Host.Services.GetRequiredService<IBus>().Publish(change);

    [Fact]
    public async Task AnEventIsHandledOnceAndARedeliveryOrAnOlderVersionChangesNothing()
    {
        await PublishAsync(Change(101, 5));
        await Eventually.TrueAsync(() => Task.FromResult(host.Changes.Handled.Any(c => c.ProductId == 101)), Deadline, "v5 handled");

        await PublishAsync(Change(101, 5));
        await PublishAsync(Change(101, 3));
        await PublishAsync(Change(101, 6));
        await Eventually.TrueAsync(() => Task.FromResult(host.Changes.Handled.Any(c => c.ProductId == 101 && c.Version == 6)), Deadline, "v6 handled");

        Assert.Equal([5L, 6L], host.Changes.Handled.Where(c => c.ProductId == 101).Select(c => c.Version));
    }

    [Fact]
    public async Task ARedisThatTimesOutIsAnOutageForTheLedgerAndTheEventIsStillHandledOnce()
    {
        // Redis answers nothing that writes (the ledger's compare-and-raise is a script) until unpaused:
        // its calls time out rather than fail to connect.
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(host.RedisConfiguration + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        await server.ExecuteAsync("CLIENT", "PAUSE", "60000", "WRITE");
        try
        {
            await PublishAsync(Change(505, 1));
            await Eventually.TrueAsync(() => Task.FromResult(host.Changes.Handled.Any(c => c.ProductId == 505)), Deadline, "handled while Redis times out");
            Assert.Equal(1, host.Changes.Attempts[505]);
        }
        finally
        {
            await server.ExecuteAsync("CLIENT", "UNPAUSE");
        }
    }

    [Fact]
    public async Task TheLagOfAnEvictionIsSplitIntoItsHopsWhichAddUpToTheWhole()
    {
        var lag = host.Host.Services.GetRequiredService<InvalidationLag>();
        lag.Snapshot(reset: true);
        host.Changes.Takes[707] = TimeSpan.FromMilliseconds(150);

        // A change committed 400 ms before it is published (an outbox that woke late), evicted in 150 ms.
        await PublishAsync(Change(707, 1) with { OccurredAt = DateTimeOffset.UtcNow.AddMilliseconds(-400) });
        await Eventually.TrueAsync(() => Task.FromResult(host.Changes.Handled.Any(c => c.ProductId == 707)), Deadline, "handled");
        var snapshot = await Eventually.SucceedsAsync(() => Task.FromResult(lag.Snapshot(reset: false)), s => s.Samples == 1, Deadline, "the lag recorded");

        Assert.Equal(["toBroker", "delivery", "evict"], snapshot.Hops.Keys);
        var (toBroker, delivery, evict) = (snapshot.Hops["toBroker"], snapshot.Hops["delivery"], snapshot.Hops["evict"]);
        Assert.All(snapshot.Hops.Values, hop => Assert.Equal(1, hop.Samples));
        Assert.InRange(toBroker.MaxMs, 400, 400 + Deadline.TotalMilliseconds);
        // Task.Delay's timer counts whole milliseconds of a monotonic clock, the hops are read from the wall
        // clock: the 150 ms handler can measure a little under 150 ms (148.6 ms was seen on CI).
        Assert.InRange(evict.MaxMs, 150 - TimerSlackMs, 150 + Deadline.TotalMilliseconds);
        var sum = toBroker.MaxMs + delivery.MaxMs + evict.MaxMs;
        Assert.True(Math.Abs(sum - snapshot.MaxMs) < 1, $"hops add up to {sum} ms, the whole is {snapshot.MaxMs} ms");
    }

    [Fact]
    public async Task AnEventThatKeepsFailingLandsInTheErrorQueueAfterBoundedRetries()
    {
        host.Changes.AlwaysFail[202] = true;

        await PublishAsync(Change(202, 1));

        var faulted = await WaitForQueueMessageAsync(ProductChangedQueues.For(ConsumerHostFixture.Service) + "_error", "\"productId\": 202");
        Assert.Contains("handler failure for product 202", faulted.Headers, StringComparison.Ordinal);
        Assert.Equal(4, host.Changes.Attempts[202]); // the first try and three retries
    }

    [Fact]
    public async Task AMalformedEventGoesToTheErrorQueueAtOnceAndTheConsumerCarriesOn()
    {
        await PublishAsync(Change(0, 1));
        var faulted = await WaitForQueueMessageAsync(ProductChangedQueues.For(ConsumerHostFixture.Service) + "_error", "\"productId\": 0");
        Assert.Contains("malformed", faulted.Headers, StringComparison.Ordinal);
        Assert.False(host.Changes.Attempts.ContainsKey(0), "a malformed event never reaches the handler");

        // Version 0 is no version either.
        await PublishAsync(Change(606, 0));
        var unversioned = await WaitForQueueMessageAsync(ProductChangedQueues.For(ConsumerHostFixture.Service) + "_error", "\"productId\": 606");
        Assert.Contains("malformed", unversioned.Headers, StringComparison.Ordinal);
        Assert.False(host.Changes.Attempts.ContainsKey(606));

        await PublishAsync(Change(303, 1));
        await Eventually.TrueAsync(() => Task.FromResult(host.Changes.Handled.Any(c => c.ProductId == 303)), Deadline, "the next event is handled");
    }

    [Fact]
    public async Task AnEvictionIsASpanOfItsOwnUnderTheConsumeSpanNamingTheProductAndVersion()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessagingTelemetry.SourceName or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await PublishAsync(Change(909, 4));
        var eviction = await Eventually.SucceedsAsync(
            () => Task.FromResult(spans.FirstOrDefault(s => s.OperationName == "evict product" && Equals(s.GetTagItem("hive.product.id"), 909L))),
            s => s is not null,
            Deadline,
            "the eviction span");

        Assert.Equal(4L, eviction!.GetTagItem("hive.product.version"));
        var consume = await Eventually.SucceedsAsync(
            () => Task.FromResult(spans.FirstOrDefault(s => s.SpanId == eviction.ParentSpanId)),
            s => s is not null,
            Deadline,
            "the consume span");
        Assert.Equal("MassTransit", consume!.Source.Name);
        Assert.Equal(909L, consume.GetTagItem("hive.product.id"));
    }

    [Fact]
    public async Task ABodyThatIsNotAMessageGoesToTheErrorQueueAndTheConsumerCarriesOn()
    {
        var factory = new ConnectionFactory { Uri = host.RabbitMqUri };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString() };
            await channel.BasicPublishAsync(string.Empty, ProductChangedQueues.For(ConsumerHostFixture.Service), false, properties, Encoding.UTF8.GetBytes("{ this is not json"));
        }

        var faulted = await WaitForQueueMessageAsync(ProductChangedQueues.For(ConsumerHostFixture.Service) + "_error", "this is not json");
        Assert.Contains("MT-Fault-Message", faulted.Headers, StringComparison.Ordinal);

        await PublishAsync(Change(404, 1));
        await Eventually.TrueAsync(() => Task.FromResult(host.Changes.Handled.Any(c => c.ProductId == 404)), Deadline, "the next event is handled");
    }

    [Fact]
    public async Task TheTagHandlerDropsEveryEntryTaggedWithTheChangedProductAndNoOther()
    {
        // Media's and metrics' handler: every entry of the service about a product carries its tag.
        var cache = host.Host.Services.GetRequiredService<IHiveCache>();
        var changed = cache.Keys.Tag(ProductTagInvalidationHandler.ProductEntity, 808);
        var (small, large, other) = (cache.Keys.For("rendering", "808-small"), cache.Keys.For("rendering", "808-large"), cache.Keys.For("rendering", "809-small"));
        await cache.SetAsync(small, "small", tags: [changed]);
        await cache.SetAsync(large, "large", tags: [changed]);
        await cache.SetAsync(other, "other", tags: [cache.Keys.Tag(ProductTagInvalidationHandler.ProductEntity, 809)]);
        Assert.Equal(("small", "large"), (await cache.GetAsync<string>(small), await cache.GetAsync<string>(large)));

        await new ProductTagInvalidationHandler(cache).HandleAsync(Change(808, 2), CancellationToken.None);

        Assert.False((await cache.TryGetAsync<string>(small)).HasValue);
        Assert.False((await cache.TryGetAsync<string>(large)).HasValue);
        Assert.Equal("other", await cache.GetAsync<string>(other));
        await Assert.ThrowsAsync<ArgumentNullException>(() => new ProductTagInvalidationHandler(cache).HandleAsync(null!, CancellationToken.None));
    }

    private async Task<(string Body, string Headers)> WaitForQueueMessageAsync(string queue, string bodyContains)
    {
        var factory = new ConnectionFactory { Uri = host.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        var until = DateTime.UtcNow + Deadline;
        var channel = await connection.CreateChannelAsync();
        var skipped = new List<string>();
        while (DateTime.UtcNow < until)
        {
            BasicGetResult? message;
            try
            {
                message = await channel.BasicGetAsync(queue, autoAck: false);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // The error queue is created on the first fault; until then the broker closes the channel.
                await channel.DisposeAsync();
                channel = await connection.CreateChannelAsync();
                await Task.Delay(100);
                continue;
            }

            if (message is null)
            {
                await Task.Delay(50);
                continue;
            }

            var body = Encoding.UTF8.GetString(message.Body.Span);
            if (body.Contains(bodyContains, StringComparison.Ordinal))
            {
                await channel.BasicAckAsync(message.DeliveryTag, false);
                await channel.DisposeAsync();
                var headers = string.Join("\n", (message.BasicProperties.Headers ?? new Dictionary<string, object?>())
                    .Select(h => $"{h.Key}: {(h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : h.Value)}"));
                return (body, headers);
            }

            // Tests run one at a time, so anything else here was left by an earlier test: take it off the
            // queue (a requeued message would come back first every time) and keep looking.
            await channel.BasicAckAsync(message.DeliveryTag, false);
            skipped.Add(body.Length > 120 ? body[..120] : body);
        }

        await channel.DisposeAsync();
        throw new TimeoutException(
            $"No message containing '{bodyContains}' on {queue}; skipped {skipped.Count}: {string.Join(" | ", skipped)}; " +
            $"handler attempts: {string.Join(", ", host.Changes.Attempts.Select(a => $"{a.Key}×{a.Value}"))}");
    }
}
