using System.Diagnostics;

namespace Hive.Messaging.Outbox;

/// <summary>
/// A service's transactional outbox: a table with the columns of catalog's <c>outbox_messages</c>
/// (id, message_type, aggregate_id, payload jsonb, occurred_at, published_at, attempts, last_error, trace_parent)
/// and the NOTIFY channel that wakes its dispatcher. Both names are fixed by the service, never by input.
/// </summary>
/// <typeparam name="TMessage">The one message type the table carries.</typeparam>
public sealed class OutboxTable<TMessage>
    where TMessage : class
{
    public OutboxTable(
        string table,
        string channel,
        Func<TMessage, bool> isValid,
        Func<Uri, CancellationToken, Task> declareTopologyAsync,
        Action<Activity, TMessage>? tagSpan = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(isValid);
        ArgumentNullException.ThrowIfNull(declareTopologyAsync);
        if (!IsIdentifier(table) || !IsIdentifier(channel))
        {
            throw new ArgumentException("Outbox table and channel names are lower-case SQL identifiers.");
        }

        Table = table;
        Channel = channel;
        IsValid = isValid;
        DeclareTopologyAsync = declareTopologyAsync;
        TagSpan = tagSpan;
    }

    public string Table { get; }

    public string Channel { get; }

    /// <summary>False for a payload that can never be published (it is set aside, not retried forever).</summary>
    public Func<TMessage, bool> IsValid { get; }

    /// <summary>
    /// Declares the exchange and the consumers' queues before the first publish, so a message published
    /// before its consumer ever started is queued, not dropped by an exchange with no binding.
    /// </summary>
    public Func<Uri, CancellationToken, Task> DeclareTopologyAsync { get; }

    /// <summary>Adds the message's own tags (its ids, its version) to the publish span, so a trace search finds it.</summary>
    public Action<Activity, TMessage>? TagSpan { get; }

    public string MessageType => typeof(TMessage).Name;

    private static bool IsIdentifier(string name) => name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') && name[0] is >= 'a' and <= 'z';
}
