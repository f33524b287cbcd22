using System.Diagnostics;

namespace Hive.Messaging.Outbox;

/// <summary>
/// Carries a write's trace across an outbox: the row keeps the W3C <c>traceparent</c> of the request that
/// wrote it (<see cref="OutboxWriter"/>), and the dispatcher publishes under a span whose parent is that
/// context, so one trace runs request → outbox → RabbitMQ → every consumer.
/// </summary>
internal static class OutboxTracing
{
    public const string SourceName = "Hive.Messaging.Outbox";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The current span as a W3C traceparent, or null outside any trace.</summary>
    public static string? CurrentTraceParent()
        => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    public static Activity? StartPublish<TMessage>(OutboxTable<TMessage> outbox, long outboxId, long aggregateId, TMessage message, string? traceParent)
        where TMessage : class
    {
        // A row without a trace (seeded data, a write outside a request) starts none: idle batches add no roots.
        if (traceParent is null || !ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent))
        {
            return null;
        }

        var activity = Source.StartActivity($"outbox publish {outbox.MessageType}", ActivityKind.Internal, parent);
        if (activity is not null)
        {
            activity.SetTag("hive.outbox.table", outbox.Table);
            activity.SetTag("hive.outbox.id", outboxId);
            activity.SetTag("hive.outbox.aggregate_id", aggregateId);
            outbox.TagSpan?.Invoke(activity, message);
        }

        return activity;
    }
}
