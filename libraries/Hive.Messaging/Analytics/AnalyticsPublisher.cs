using Hive.Contracts;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hive.Messaging.Analytics;

/// <summary>
/// Drains the <see cref="AnalyticsRecorder"/> in batches (full, or after the flush interval) and publishes
/// each as one <see cref="AnalyticsBatch"/>. Analytics are worth less than requests: a batch the broker
/// does not take in time is dropped and counted rather than retried into unbounded memory.
/// </summary>
internal sealed partial class AnalyticsPublisher(
    AnalyticsRecorder recorder,
    IBus bus,
    IConfiguration configuration,
    IOptions<AnalyticsOptions> options,
    string source,
    ILogger<AnalyticsPublisher> logger) : BackgroundService
{
    private bool _topologyDeclared;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batchSize = options.Value.BatchSize;
        var batch = new List<AnalyticsEvent>(batchSize);
        try
        {
            while (await recorder.Reader.WaitToReadAsync(stoppingToken))
            {
                // One wake-up per batch: the first event starts the flush interval, a full batch ends it early.
                await recorder.WaitForBatchAsync(options.Value.FlushInterval, stoppingToken);
                // Stopping: what is buffered is not published (as before a flush), and nothing is half-sent.
                stoppingToken.ThrowIfCancellationRequested();
                while (batch.Count < batchSize && recorder.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await PublishAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(List<AnalyticsEvent> batch, CancellationToken stoppingToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(options.Value.PublishTimeout);
            await EnsureTopologyAsync(timeout.Token);
            await bus.Publish(new AnalyticsBatch(source, [.. batch]), timeout.Token);
            LogPublished(logger, batch.Count);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            recorder.Drop(batch.Count);
            LogDropped(logger, batch.Count, ex);
        }
    }

    private async Task EnsureTopologyAsync(CancellationToken cancellationToken)
    {
        if (_topologyDeclared)
        {
            return;
        }

        // Events published before the metrics service first started would otherwise have no queue to land in.
        await RabbitMqTopology.DeclareAnalyticsQueueAsync(MessagingExtensions.RabbitMqUri(configuration), cancellationToken);
        _topologyDeclared = true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published {Count} analytics event(s)")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} analytics event(s): the batch could not be published")]
    private static partial void LogDropped(ILogger logger, int count, Exception exception);
}
