using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Hive.Testing;

namespace Catalog.Api.Tests;

[Collection(CatalogCollection.Name)]
public sealed class TracingTests(CatalogFixture catalog)
{
    [Fact]
    public async Task AProductUpdatesTraceRunsThroughTheOutboxAndRabbitMqToTheEviction()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Hive.", StringComparison.Ordinal) || source.Name == "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessA);
        using var update = new HttpRequestMessage(HttpMethod.Put, "/api/catalog/products/16") { Content = JsonContent.Create(new { price = 777 }) };
        // The caller's trace (as the gateway would pass it on).
        update.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        Assert.Equal(HttpStatusCode.OK, (await seller.SendAsync(update)).StatusCode);

        Assert.Equal(
            traceId.ToHexString(),
            (await catalog.ScalarAsync<string>("SELECT trace_parent FROM outbox_messages WHERE aggregate_id = 16 ORDER BY id DESC LIMIT 1"))!.Split('-')[1]);
        // The consume span ends after the eviction span it holds: both are waited for, in any order.
        await Eventually.TrueAsync(
            () => Task.FromResult(
                spans.Any(s => s.OperationName == "evict product")
                && spans.Any(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer)),
            TimeSpan.FromSeconds(30),
            "the eviction span and its consume span in the update's trace");

        Assert.Contains(spans, s => s.Source.Name == "Hive.Messaging.Outbox");
        Assert.Contains(spans, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
        Assert.Contains(spans, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
    }
}
