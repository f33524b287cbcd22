using System.Text.Json;
using Hive.Contracts;
using Hive.Messaging.Analytics;
using Hive.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hive.Messaging.Tests;

/// <summary>
/// A service that records analytics (<see cref="AnalyticsExtensions.AddAnalyticsRecording"/> on the bus of
/// <see cref="MessagingExtensions.AddProductChangeConsumer{THandler}"/>, as catalog and search have it) publishes
/// what it recorded in batches into the metrics service's queue on a real RabbitMQ, and drops, counting them,
/// the batches a broker that is away does not take.
/// </summary>
public sealed class AnalyticsPublisherTests(RedisFixture redis, RabbitMqFixture rabbit) : IClassFixture<RedisFixture>, IClassFixture<RabbitMqFixture>
{
    private const string Source = "analyticstest";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static AnalyticsEvent Viewed(long productId) =>
        new(AnalyticsEventType.View, productId, 7, 3, "u:buyer", null, 1, DateTimeOffset.UtcNow);

    private async Task<IHost> StartAsync(Uri broker, int batchSize, TimeSpan flushInterval, TimeSpan publishTimeout)
    {
        var builder = await ConsumerHostFixture.ServiceBuilderAsync(Source, broker, redis.Configuration);
        builder.Configuration["Hive:Analytics:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Hive:Analytics:FlushInterval"] = flushInterval.ToString("c");
        builder.Configuration["Hive:Analytics:PublishTimeout"] = publishTimeout.ToString("c");
        builder.AddAnalyticsRecording(Source);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    [Fact]
    public async Task RecordedEventsReachTheMetricsQueueInBatchesOfAtMostTheBatchSizeAndTheRestAfterTheFlushInterval()
    {
        // No metrics service has ever started on this broker: the publisher declares its queue itself.
        // The publish timeout is generous: the bus may still be connecting when the first batch is due, and on a
        // loaded machine that took longer than half a second (the CI run at e151135 dropped every batch).
        using var host = await StartAsync(rabbit.Uri, batchSize: 3, flushInterval: TimeSpan.FromMilliseconds(300), publishTimeout: Deadline);
        var recorder = host.Services.GetRequiredService<AnalyticsRecorder>();

        for (var id = 1; id <= 7; id++)
        {
            Assert.True(recorder.Record(Viewed(id)));
        }

        var batches = new List<JsonElement>();
        await Eventually.TrueAsync(
            async () =>
            {
                if (recorder.Dropped > 0)
                {
                    return true; // fails below, with the count, instead of waiting out the deadline
                }

                batches.AddRange(await QueueReader.TakeMessagesAsync(rabbit.Uri, AnalyticsQueues.Events));
                return batches.Sum(b => b.GetProperty("events").GetArrayLength()) >= 7;
            },
            Deadline,
            "all seven events published");

        Assert.Equal(0L, recorder.Dropped);

        Assert.Equal([3, 3, 1], batches.Select(b => b.GetProperty("events").GetArrayLength()));
        Assert.All(batches, b => Assert.Equal(Source, b.GetProperty("source").GetString()));
        var events = batches.SelectMany(b => b.GetProperty("events").EnumerateArray()).ToList();
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), events.Select(e => e.GetProperty("productId").GetInt64()));
        var first = events[0];
        Assert.Equal((7L, 3, "u:buyer"), (first.GetProperty("businessId").GetInt64(), first.GetProperty("categoryId").GetInt32(), first.GetProperty("clientId").GetString()));
        Assert.Equal((7L, 0L), (recorder.Recorded, recorder.Dropped));
        await host.StopAsync();
    }

    [Fact]
    public async Task AFullBatchIsPublishedAtOnceWhileAPartOneWaitsForItsFlushInterval()
    {
        // A minute of flush interval: only a batch that fills goes out within the test's deadline.
        using var host = await StartAsync(rabbit.Uri, batchSize: 3, flushInterval: TimeSpan.FromMinutes(1), publishTimeout: Deadline);
        var recorder = host.Services.GetRequiredService<AnalyticsRecorder>();
        var batches = new List<JsonElement>();
        async Task<bool> PublishedAsync(int events)
        {
            batches.AddRange(await QueueReader.TakeMessagesAsync(rabbit.Uri, AnalyticsQueues.Events));
            return recorder.Dropped > 0 || batches.Sum(b => b.GetProperty("events").GetArrayLength()) >= events;
        }

        for (var id = 1; id <= 4; id++)
        {
            Assert.True(recorder.Record(Viewed(id)));
        }

        await Eventually.TrueAsync(() => PublishedAsync(3), Deadline, "the first full batch published");
        Assert.Equal([3], batches.Select(b => b.GetProperty("events").GetArrayLength()));

        // The fourth event waits until two more fill its batch: with one more it is still a part batch.
        recorder.Record(Viewed(5));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(await PublishedAsync(4), "a part batch went out before its flush interval");
        recorder.Record(Viewed(6));
        await Eventually.TrueAsync(() => PublishedAsync(6), Deadline, "the second full batch published");

        Assert.Equal(0L, recorder.Dropped);
        Assert.Equal([3, 3], batches.Select(b => b.GetProperty("events").GetArrayLength()));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), batches.SelectMany(b => b.GetProperty("events").EnumerateArray()).Select(e => e.GetProperty("productId").GetInt64()));
        await host.StopAsync();
    }

    [Fact]
    public async Task ABatchABrokerThatIsAwayDoesNotTakeIsDroppedAndCountedAndLaterBatchesAreStillTried()
    {
        using var closed = new ClosedPort();
        using var host = await StartAsync(new Uri($"amqp://hive:hive-test@127.0.0.1:{closed.Port}/"), batchSize: 500, flushInterval: TimeSpan.FromMilliseconds(50), publishTimeout: TimeSpan.FromMilliseconds(500));
        var recorder = host.Services.GetRequiredService<AnalyticsRecorder>();

        for (var id = 1; id <= 5; id++)
        {
            recorder.Record(Viewed(id));
        }

        await Eventually.TrueAsync(() => Task.FromResult(recorder.Dropped == 5), Deadline, "the batch of five dropped");

        recorder.Record(Viewed(6));
        recorder.Record(Viewed(7));
        await Eventually.TrueAsync(() => Task.FromResult(recorder.Dropped == 7), Deadline, "the next batch tried and dropped too");
        Assert.Equal(7, recorder.Recorded);
        await host.StopAsync();
    }
}
