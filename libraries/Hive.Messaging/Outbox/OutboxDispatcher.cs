using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hive.Messaging.Outbox;

/// <summary>
/// Publishes committed rows of one outbox table with publisher confirms, then marks them published
/// (catalog's ProductChanged and media's ProductImageChanged). Rows are claimed with FOR UPDATE SKIP
/// LOCKED and only the oldest unpublished row of each aggregate is claimable, so one aggregate's messages
/// leave in order even with several replicas. A broker outage leaves rows unpublished; they go out when
/// it returns, with the same message id (consumers are idempotent). Each publish runs in the trace of
/// the request that wrote its row (<see cref="OutboxTracing"/>); MassTransit carries it on to the consumers.
/// </summary>
public sealed partial class OutboxDispatcher<TMessage>(
    NpgsqlDataSource db,
    IBus bus,
    IConfiguration configuration,
    OutboxTable<TMessage> outbox,
    IOptionsMonitor<OutboxDispatchOptions> optionsMonitor,
    ILogger<OutboxDispatcher<TMessage>> logger) : BackgroundService
    where TMessage : class
{
    private readonly OutboxDispatchOptions _options = optionsMonitor.Get(outbox.Table);
    private bool _topologyDeclared;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var listener = new Listener(db, outbox.Channel);
        var backoff = TimeSpan.Zero;
        var rounds = new List<Task<int>>();
        Task? wake = null;
        // A round is due at start, after a NOTIFY or an idle poll, and after a round that dealt with rows (it may
        // have unblocked the next message of the same aggregate, which must not sit out a whole IdlePoll).
        var due = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await listener.EnsureListeningAsync(stoppingToken);
                    await EnsureTopologyAsync(stoppingToken);
                    if (due && rounds.Count < _options.RoundsInFlight)
                    {
                        // Rows a running round holds are skipped (SKIP LOCKED): a new round takes only what it has not.
                        rounds.Add(DispatchOnceAsync(stoppingToken));
                        due = false;
                        continue;
                    }

                    wake ??= listener.WaitAsync(_options.IdlePoll, stoppingToken);
                    var done = await Task.WhenAny(rounds.Cast<Task>().Append(wake));
                    if (done == wake)
                    {
                        wake = null;
                        due = true;
                        // A listener that failed (its connection broke) is reported and reset below, not ignored.
                        await done;
                        continue;
                    }

                    var round = (Task<int>)done;
                    rounds.Remove(round);
                    if (await round > 0)
                    {
                        due = true;
                    }

                    backoff = TimeSpan.Zero;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
                    LogDispatchFailed(logger, outbox.Table, backoff.TotalMilliseconds, ex);
                    await ObserveAsync(wake);
                    wake = null;
                    await listener.ResetAsync();
                    await Task.Delay(backoff, stoppingToken);
                    due = true;
                }
            }
        }
        finally
        {
            // Rounds still publishing end on the stopping token; their rows stay unpublished and go out next time.
            foreach (var round in rounds)
            {
                await ObserveAsync(round);
            }

            await ObserveAsync(wake);
        }
    }

    /// <summary>
    /// Waits for a task whose outcome no longer matters: a round abandoned at the stop (its rows stay
    /// unpublished and go out next time) or a listener being reset. It never throws: a failure thrown from
    /// here would fault the service at shutdown, or stop the host from the loop's error path.
    /// </summary>
    private async Task ObserveAsync(Task? task)
    {
        if (task is null)
        {
            return;
        }

        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or NpgsqlException or ObjectDisposedException or InvalidOperationException or TimeoutException)
        {
            // Already dealt with: logged by the loop, or ended by the reset or the stop.
        }
        catch (Exception ex)
        {
            // Anything else, such as the bus failing while it stops, is reported.
            LogAbandonedFailed(logger, outbox.Table, ex);
        }
    }

    /// <summary>Claims, publishes and marks one batch; returns how many rows were dealt with.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = new List<(long Id, long AggregateId, TMessage Message, string? TraceParent)>();
        var malformed = new List<long>();
        await using (var claim = new NpgsqlCommand(
            $"""
            SELECT o.id, o.aggregate_id, o.payload::text, o.trace_parent
            FROM {outbox.Table} o
            WHERE o.published_at IS NULL
              AND NOT EXISTS (
                  SELECT 1 FROM {outbox.Table} earlier
                  WHERE earlier.aggregate_id = o.aggregate_id AND earlier.published_at IS NULL AND earlier.id < o.id)
            ORDER BY o.id
            LIMIT $1
            FOR UPDATE SKIP LOCKED
            """,
            connection,
            tx))
        {
            claim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _options.BatchSize });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (TryRead(reader.GetString(2)) is { } message)
                {
                    claimed.Add((reader.GetInt64(0), reader.GetInt64(1), message, reader.IsDBNull(3) ? null : reader.GetString(3)));
                }
                else
                {
                    malformed.Add(reader.GetInt64(0));
                }
            }
        }

        // A claim that returns after the stop (its rows freed by a round the stop just rolled back) publishes
        // nothing: the rows stay for the next start rather than go to a bus that is stopping.
        cancellationToken.ThrowIfCancellationRequested();

        if (malformed.Count > 0)
        {
            // A row that can never be published must not hold back its aggregate's later messages.
            await using var setAside = new NpgsqlCommand(
                $"UPDATE {outbox.Table} SET published_at = now(), last_error = 'malformed payload: not published' WHERE id = ANY($1)", connection, tx);
            setAside.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. malformed] });
            await setAside.ExecuteNonQueryAsync(cancellationToken);
            LogMalformed(logger, outbox.Table, string.Join(", ", malformed));
        }

        if (claimed.Count > 0)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.PublishTimeout);
            // Each claimed row is a different aggregate, so they may be confirmed in any order.
            await Task.WhenAll(claimed.Select(row => PublishAsync(row.Id, row.AggregateId, row.Message, row.TraceParent, timeout.Token)));

            await using var mark = new NpgsqlCommand($"UPDATE {outbox.Table} SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)", connection, tx);
            mark.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = claimed.Select(c => c.Id).ToArray() });
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        if (claimed.Count > 0)
        {
            LogPublished(logger, claimed.Count, outbox.Table);
        }

        return claimed.Count + malformed.Count;
    }

    /// <summary>Publishes one row inside the trace of the request that wrote it.</summary>
    private async Task PublishAsync(long id, long aggregateId, TMessage message, string? traceParent, CancellationToken cancellationToken)
    {
        using var activity = OutboxTracing.StartPublish(outbox, id, aggregateId, message, traceParent);
        await bus.Publish(message, context => context.MessageId = MessageId(id), cancellationToken);
    }

    private TMessage? TryRead(string payload)
    {
        try
        {
            var message = JsonSerializer.Deserialize<TMessage>(payload, OutboxWriter.Json);
            return message is not null && outbox.IsValid(message) ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A stable id per row and table, so a re-publish after a crash is recognisably the same message.</summary>
    private Guid MessageId(long id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, id);
        // The table's first eight letters tell one outbox's ids from another's.
        System.Text.Encoding.ASCII.GetBytes(outbox.Table.PadRight(8, '_').AsSpan(0, 8), bytes[8..]);
        return new Guid(bytes);
    }

    private async Task EnsureTopologyAsync(CancellationToken cancellationToken)
    {
        if (_topologyDeclared)
        {
            return;
        }

        await outbox.DeclareTopologyAsync(MessagingExtensions.RabbitMqUri(configuration), cancellationToken);
        _topologyDeclared = true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Rows {Ids} of {Table} hold no valid message and were set aside unpublished")]
    private static partial void LogMalformed(ILogger logger, string table, string ids);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published {Count} message(s) from {Table}")]
    private static partial void LogPublished(ILogger logger, int count, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dispatch round of {Table} abandoned at the stop failed; its rows stay unpublished until the next start")]
    private static partial void LogAbandonedFailed(ILogger logger, string table, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatch from {Table} failed; retrying in {BackoffMs} ms")]
    private static partial void LogDispatchFailed(ILogger logger, string table, double backoffMs, Exception exception);

    /// <summary>A dedicated connection LISTENing on the outbox channel, so a commit wakes the dispatcher at once.</summary>
    private sealed class Listener(NpgsqlDataSource db, string channel) : IAsyncDisposable
    {
        private NpgsqlConnection? _connection;

        public async Task EnsureListeningAsync(CancellationToken cancellationToken)
        {
            if (_connection is { State: System.Data.ConnectionState.Open })
            {
                return;
            }

            await ResetAsync();
            _connection = await db.OpenConnectionAsync(cancellationToken);
            await using var listen = new NpgsqlCommand($"LISTEN {channel}", _connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (_connection is not null)
            {
                await _connection.WaitAsync(timeout, cancellationToken);
            }
        }

        public async Task ResetAsync()
        {
            if (_connection is null)
            {
                return;
            }

            // Pooled connections are not reset on return (DatabaseExtensions.ApplyPooling): stop listening
            // first, so the next user of this connection does not receive the outbox's notifications. A broken
            // connection is not returned to the pool, so failing here changes nothing.
            try
            {
                if (_connection.State == System.Data.ConnectionState.Open)
                {
                    await using var unlisten = new NpgsqlCommand("UNLISTEN *", _connection);
                    await unlisten.ExecuteNonQueryAsync();
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
            }

            await _connection.DisposeAsync();
            _connection = null;
        }

        public ValueTask DisposeAsync() => new(ResetAsync());
    }
}
