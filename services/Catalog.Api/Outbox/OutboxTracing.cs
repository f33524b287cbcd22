using System.Diagnostics;
using Hive.Contracts;

namespace Catalog.Api.Outbox;

/// <summary>
/// Carries a product write's trace across the outbox: the row keeps the W3C <c>traceparent</c> of the
/// request that wrote it, and the dispatcher publishes under a span whose parent is that context, so one
/// trace runs request → outbox → RabbitMQ → every consumer.
/// </summary>
internal static class OutboxTracing
{
    public const string SourceName = "Hive.Catalog.Outbox";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The current span as a W3C traceparent, or null outside any trace.</summary>
    public static string? CurrentTraceParent()
        => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    public static Activity? StartPublish(long outboxId, ProductChanged change, string? traceParent)
    {
        // A row without a trace (seeded data, a write outside a request) starts none: idle batches add no roots.
        if (traceParent is null || !ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent))
        {
            return null;
        }

        var activity = Source.StartActivity("outbox publish ProductChanged", ActivityKind.Internal, parent);
        activity?.SetTag("hive.outbox.id", outboxId);
        activity?.SetTag("hive.product.id", change.ProductId);
        activity?.SetTag("hive.product.version", change.Version);
        return activity;
    }
}
