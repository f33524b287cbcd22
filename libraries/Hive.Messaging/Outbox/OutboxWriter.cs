using System.Text.Json;
using Npgsql;

namespace Hive.Messaging.Outbox;

/// <summary>
/// Appends a message to an outbox inside the caller's transaction: it is published if and only if the
/// change it describes commits. The NOTIFY is delivered at commit, waking the dispatcher at once. The row
/// keeps the writing request's trace, so the dispatcher publishes under it and the consumers join it.
/// </summary>
public static class OutboxWriter
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task AppendAsync<TMessage>(
        OutboxTable<TMessage> outbox, NpgsqlConnection connection, NpgsqlTransaction transaction, long aggregateId, TMessage message, CancellationToken cancellationToken)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(message);
        await using var command = new NpgsqlCommand(
            $"""
            WITH appended AS (
                INSERT INTO {outbox.Table} (message_type, aggregate_id, payload, trace_parent) VALUES ($1, $2, $3::jsonb, $4) RETURNING id)
            SELECT pg_notify($5, '') FROM appended
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = outbox.MessageType });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = aggregateId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(message, Json) });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = OutboxTracing.CurrentTraceParent() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = outbox.Channel });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
