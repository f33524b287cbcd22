using System.Diagnostics.Metrics;
using Hive.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Metrics.Api.Analytics;

/// <summary>
/// Stores each analytics batch (binary COPY) and moves the trending boards. A malformed batch is faulted
/// without retries, so it lands in the error queue with the reason and the queue carries on.
/// </summary>
public sealed partial class AnalyticsBatchConsumer(
    AnalyticsStore store,
    TrendingBoardWriter boards,
    AnalyticsIngestionStatistics statistics,
    IOptions<AnalyticsIngestionOptions> options,
    TimeProvider clock,
    ILogger<AnalyticsBatchConsumer> logger) : IConsumer<AnalyticsBatch>
{
    public async Task Consume(ConsumeContext<AnalyticsBatch> context)
    {
        var batch = context.Message;
        if (AnalyticsBatchValidator.Problem(batch, clock.GetUtcNow(), options.Value.MaxEventAge) is { } problem)
        {
            statistics.Rejected();
            throw new InvalidAnalyticsBatchException($"Analytics batch from '{batch?.Source}' is malformed: {problem}");
        }

        var stored = await store.AppendAsync(batch.Events, context.CancellationToken);
        var update = await boards.ApplyAsync(batch.Events, context.CancellationToken);
        statistics.Stored((long)stored, update.OverClientLimit);
        LogStored(logger, (long)stored, batch.Source, update.Products, update.OverClientLimit);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored {Count} analytics event(s) from {Source}; {Products} product(s) moved, {OverLimit} over their client's limit")]
    private static partial void LogStored(ILogger logger, long count, string source, int products, int overLimit);
}

public sealed class InvalidAnalyticsBatchException(string message) : Exception(message);

/// <summary>What the metrics service took in: events stored, batches rejected, events over a client's limit.</summary>
public sealed class AnalyticsIngestionStatistics
{
    private readonly Counter<long> _stored;
    private readonly Counter<long> _rejected;
    private long _storedTotal;
    private long _rejectedTotal;
    private long _overLimitTotal;

    public AnalyticsIngestionStatistics(IMeterFactory meters)
    {
        var meter = meters.Create("Hive.Analytics");
        _stored = meter.CreateCounter<long>("hive.analytics.stored", "{event}", "Analytics events stored in analytics_events");
        _rejected = meter.CreateCounter<long>("hive.analytics.rejected", "{batch}", "Malformed analytics batches sent to the error queue");
    }

    public void Stored(long count, int overLimit)
    {
        Interlocked.Add(ref _storedTotal, count);
        Interlocked.Add(ref _overLimitTotal, overLimit);
        _stored.Add(count);
    }

    public void Rejected()
    {
        Interlocked.Increment(ref _rejectedTotal);
        _rejected.Add(1);
    }

    public AnalyticsIngestion Snapshot() => new(Interlocked.Read(ref _storedTotal), Interlocked.Read(ref _rejectedTotal), Interlocked.Read(ref _overLimitTotal));
}

public sealed record AnalyticsIngestion(long EventsStored, long BatchesRejected, long EventsOverClientLimit);
