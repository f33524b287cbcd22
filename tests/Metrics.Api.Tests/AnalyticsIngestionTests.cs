using Hive.Caching;
using Hive.Contracts;
using Hive.Messaging;
using Hive.Messaging.Analytics;
using Hive.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.Api.Tests;

[Collection(MetricsCollection.Name)]
public sealed class AnalyticsIngestionTests(MetricsFixture metrics)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ABatchIsStoredInAnalyticsEventsAndAPurchaseTakesTheProductToTheTopOfTheHour()
    {
        await metrics.WaitForConsumerAsync(AnalyticsQueues.Events);
        var client = Client();
        var product = NewProductId();
        var rival = product + 1;
        var now = DateTimeOffset.UtcNow;
        AnalyticsEvent[] events =
        [
            .. Enumerable.Range(0, 5).Select(i => new AnalyticsEvent(AnalyticsEventType.View, rival, 1, 1, $"{client}-{i}", null, 1, now)),
            new(AnalyticsEventType.View, product, 1, 1, client, null, 1, now),
            new(AnalyticsEventType.Purchase, product, 1, 1, client, null, 2, now),
            new(AnalyticsEventType.Search, null, null, null, client, "sukuma", 1, now),
        ];

        await Bus().Publish(new AnalyticsBatch("test", events));

        await Eventually.TrueAsync(
            async () => await metrics.ScalarAsync($"SELECT count(*) FROM analytics_events WHERE session_id LIKE '{client}%'") == events.Length,
            Deadline,
            "every event of the batch stored");
        Assert.Equal(1, await metrics.ScalarAsync($"SELECT count(*) FROM analytics_events WHERE session_id = '{client}' AND event_type = 'purchase' AND product_id = {product}"));
        Assert.Equal(1, await metrics.ScalarAsync($"SELECT count(*) FROM analytics_events WHERE session_id = '{client}' AND event_type = 'search' AND query = 'sukuma'"));

        // The consumer stores the rows, then moves the boards: wait for the boards, not just the rows.
        var boards = metrics.Factory.Services.GetRequiredService<LeaderboardReader>();
        var hour = await Eventually.SucceedsAsync(
            () => boards.TopAsync(TrendingBoards.Score, 1000, LeaderboardWindow.Hour),
            top => top.Count(e => e.Member == product.ToString() || e.Member == rival.ToString()) == 2,
            Deadline,
            "both products on the hour's board");
        var ours = hour.Where(e => e.Member == product.ToString() || e.Member == rival.ToString()).ToList();
        // 1 view + 1 purchase (weight 10) beats 5 views.
        Assert.Equal(product.ToString(), ours[0].Member);
        Assert.Equal(11, ours[0].Score);
        Assert.Equal(5, ours[1].Score);
        var purchases = await Eventually.SucceedsAsync(
            () => boards.TopAsync(TrendingBoards.Purchases, 1000, LeaderboardWindow.Week),
            top => top.Any(e => e.Member == product.ToString()),
            Deadline,
            "the product on the week's purchases board");
        Assert.Equal(2, purchases.Single(e => e.Member == product.ToString()).Score);
    }

    [Fact]
    public async Task OneClientsFloodIsStoredButMovesTheBoardsOnlyUpToItsHourlyLimit()
    {
        await metrics.WaitForConsumerAsync(AnalyticsQueues.Events);
        var client = Client();
        var product = NewProductId();
        var now = DateTimeOffset.UtcNow;
        var flood = Enumerable.Range(0, 50).Select(_ => new AnalyticsEvent(AnalyticsEventType.View, product, 1, 1, client, null, 1, now)).ToList();

        // Two batches: the limit holds across batches, not only within one.
        await Bus().Publish(new AnalyticsBatch("test", flood[..30]));
        await Bus().Publish(new AnalyticsBatch("test", flood[30..]));

        await Eventually.TrueAsync(
            async () => await metrics.ScalarAsync($"SELECT count(*) FROM analytics_events WHERE session_id = '{client}'") == 50,
            Deadline,
            "all fifty views stored");
        var boards = metrics.Factory.Services.GetRequiredService<LeaderboardReader>();
        var views = await Eventually.SucceedsAsync(
            () => boards.TopAsync(TrendingBoards.Views, 10_000, LeaderboardWindow.Hour),
            top => top.Any(e => e.Member == product.ToString()),
            Deadline,
            "the product on the views board");
        Assert.Equal(20, views.Single(e => e.Member == product.ToString()).Score);
    }

    [Fact]
    public async Task AMalformedBatchGoesToTheErrorQueueAndTheNextBatchIsStillStored()
    {
        await metrics.WaitForConsumerAsync(AnalyticsQueues.Events);
        var errorsBefore = await ErrorQueueDepthAsync();
        var client = Client();
        var now = DateTimeOffset.UtcNow;

        // A view without a product, and one from next year.
        await Bus().Publish(new AnalyticsBatch("test", [new AnalyticsEvent(AnalyticsEventType.View, null, null, null, client, null, 1, now)]));
        await Bus().Publish(new AnalyticsBatch("test", [new AnalyticsEvent(AnalyticsEventType.View, 5, null, null, client, null, 1, now.AddYears(1))]));
        await Bus().Publish(new AnalyticsBatch("test", [new AnalyticsEvent(AnalyticsEventType.View, NewProductId(), null, null, client + "-ok", null, 1, now)]));

        await Eventually.TrueAsync(
            async () => await ErrorQueueDepthAsync() >= errorsBefore + 2,
            Deadline,
            "both malformed batches in the error queue");
        await Eventually.TrueAsync(
            async () => await metrics.ScalarAsync($"SELECT count(*) FROM analytics_events WHERE session_id = '{client}-ok'") == 1,
            Deadline,
            "the good batch after them stored");
        Assert.Equal(0, await metrics.ScalarAsync($"SELECT count(*) FROM analytics_events WHERE session_id = '{client}'"));
        var overview = await metrics.OverviewAsync();
        Assert.True(overview.GetProperty("analytics").GetProperty("batchesRejected").GetInt64() >= 2);
    }

    private async Task<long> ErrorQueueDepthAsync()
        => (await metrics.OverviewAsync()).GetProperty("rabbitMq").GetProperty("queues").EnumerateArray()
            .Single(q => q.GetProperty("queue").GetString() == AnalyticsQueues.Events)
            .GetProperty("errorMessages").GetInt64();

    private IBus Bus() => metrics.Factory.Services.GetRequiredService<IBus>();

    private static string Client() => "client-" + Guid.NewGuid().ToString("N")[..12];

    private static long NewProductId() => Random.Shared.NextInt64(10_000_000, 20_000_000);
}
