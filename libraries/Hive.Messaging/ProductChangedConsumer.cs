using System.Diagnostics;
using Hive.Caching;
using Hive.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Hive.Messaging;

/// <summary>
/// Hands each <see cref="ProductChanged"/> to the service's handler unless a newer version of the product
/// was already handled; records the delay from the change to the eviction.
/// </summary>
internal sealed partial class ProductChangedConsumer(
    IProductChangeHandler handler,
    ProductVersionLedger ledger,
    InvalidationLag lag,
    TimeProvider clock,
    ILogger<ProductChangedConsumer> logger) : IConsumer<ProductChanged>
{
    public async Task Consume(ConsumeContext<ProductChanged> context)
    {
        var started = clock.GetUtcNow();
        var change = context.Message;
        if (change.ProductId <= 0 || change.Version <= 0)
        {
            // Retrying cannot fix a malformed event: fault it so it lands in the error queue with this reason.
            throw new InvalidProductChangedException($"ProductChanged for product {change.ProductId} version {change.Version} is malformed.");
        }

        // An older event than one already handled changes nothing: the newer one already evicted.
        if (!await ledger.AdvanceAsync(change.ProductId, change.Version, context.CancellationToken))
        {
            LogStale(logger, change.ProductId, change.Version);
            return;
        }

        try
        {
            // The eviction as its own span under MassTransit's consume span: the end of a product update's trace.
            using var eviction = MessagingTelemetry.Source.StartActivity("evict product");
            eviction?.SetTag("hive.product.id", change.ProductId);
            eviction?.SetTag("hive.product.version", change.Version);
            await handler.HandleAsync(change, context.CancellationToken);
        }
        catch
        {
            // Let a retry handle it again rather than being skipped as already seen.
            await ledger.RewindAsync(change.ProductId, change.Version, context.CancellationToken);
            throw;
        }

        var now = clock.GetUtcNow();
        var delay = now - change.OccurredAt;
        // MassTransit stamps SentTime in UTC; a deserializer may hand it back as Local or Unspecified.
        DateTimeOffset? sent = context.SentTime is { } sentTime
            ? new DateTimeOffset(sentTime.Kind == DateTimeKind.Local ? sentTime.ToUniversalTime() : DateTime.SpecifyKind(sentTime, DateTimeKind.Utc))
            : null;
        lag.Record(change.Kind, change.OccurredAt, sent, started, now);
        LogHandled(logger, change.ProductId, change.Version, change.Kind, delay.TotalMilliseconds);
        Activity.Current?.SetTag("hive.product.id", change.ProductId);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Product {ProductId} v{Version} already superseded; nothing to evict")]
    private static partial void LogStale(ILogger logger, long productId, long version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Evicted product {ProductId} v{Version} ({Kind}) {DelayMs:0.0} ms after the change")]
    private static partial void LogHandled(ILogger logger, long productId, long version, ProductChangeKind kind, double delayMs);
}

public sealed class InvalidProductChangedException(string message) : Exception(message);
