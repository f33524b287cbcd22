using System.Text.Json;
using Hive.Contracts;
using Hive.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Catalog.Api.Outbox;

/// <summary>
/// Publishes committed outbox rows as <see cref="ProductChanged"/> with publisher confirms, then marks
/// them published. Safe with several catalog replicas: rows are claimed with FOR UPDATE SKIP LOCKED, and
/// only the oldest unpublished row of each product is claimable, so one product's events leave in order
/// even when two dispatchers run. A broker outage leaves rows unpublished; they go out when it returns.
/// </summary>
internal sealed partial class OutboxDispatcher(
    NpgsqlDataSource db,
    IBus bus,
    IConfiguration configuration,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const string Channel = "hive_outbox";

    private const string ClaimSql = """
        SELECT o.id, o.payload::text, o.trace_parent
        FROM outbox_messages o
        WHERE o.published_at IS NULL
          AND NOT EXISTS (
              SELECT 1 FROM outbox_messages earlier
              WHERE earlier.aggregate_id = o.aggregate_id AND earlier.published_at IS NULL AND earlier.id < o.id)
        ORDER BY o.id
        LIMIT $1
        FOR UPDATE SKIP LOCKED
        """;

    private bool _topologyDeclared;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var listener = new Listener(db);
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await listener.EnsureListeningAsync(stoppingToken);
                await EnsureTopologyAsync(stoppingToken);
                var published = await DispatchOnceAsync(stoppingToken);
                backoff = TimeSpan.Zero;
                if (published < options.Value.BatchSize)
                {
                    await listener.WaitAsync(options.Value.IdlePoll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.MaxBackoff.Ticks));
                LogDispatchFailed(logger, backoff.TotalMilliseconds, ex);
                await listener.ResetAsync();
                await Task.Delay(backoff, stoppingToken);
            }
        }
    }

    /// <summary>Claims, publishes and marks one batch; returns how many events went out.</summary>
    internal async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = new List<(long Id, ProductChanged Event, string? TraceParent)>();
        var malformed = new List<long>();
        await using (var claim = new NpgsqlCommand(ClaimSql, connection, tx))
        {
            claim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.Value.BatchSize });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var change = TryRead(reader.GetString(1));
                if (change is null)
                {
                    malformed.Add(reader.GetInt64(0));
                }
                else
                {
                    claimed.Add((reader.GetInt64(0), change, reader.IsDBNull(2) ? null : reader.GetString(2)));
                }
            }
        }

        if (malformed.Count > 0)
        {
            // A row that can never be published must not hold back the product's later events: it is set
            // aside (published_at with last_error) where an operator can see it, and reported.
            await using var setAside = new NpgsqlCommand(
                "UPDATE outbox_messages SET published_at = now(), last_error = 'malformed payload: not published' WHERE id = ANY($1)", connection, tx);
            setAside.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. malformed] });
            await setAside.ExecuteNonQueryAsync(cancellationToken);
            LogMalformed(logger, string.Join(", ", malformed));
        }

        if (claimed.Count == 0)
        {
            await tx.CommitAsync(cancellationToken);
            return malformed.Count;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        // Each claimed row is a different product, so they may be confirmed in any order.
        await Task.WhenAll(claimed.Select(row => PublishAsync(row.Id, row.Event, row.TraceParent, timeout.Token)));

        await using (var mark = new NpgsqlCommand("UPDATE outbox_messages SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)", connection, tx))
        {
            mark.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = claimed.Select(c => c.Id).ToArray() });
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        LogPublished(logger, claimed.Count);
        return claimed.Count + malformed.Count;
    }

    /// <summary>Publishes one row inside the trace of the request that wrote it (MassTransit carries it on to the consumers).</summary>
    private async Task PublishAsync(long id, ProductChanged change, string? traceParent, CancellationToken cancellationToken)
    {
        using var activity = OutboxTracing.StartPublish(id, change, traceParent);
        await bus.Publish(change, context => context.MessageId = OutboxMessageId(id), cancellationToken);
    }

    private static ProductChanged? TryRead(string payload)
    {
        try
        {
            var change = JsonSerializer.Deserialize<ProductChanged>(payload, OutboxJson.Options);
            return change is { ProductId: > 0, Version: > 0 } && !string.IsNullOrEmpty(change.Slug) ? change : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A stable id per outbox row, so a re-publish after a crash is recognisably the same message.</summary>
    private static Guid OutboxMessageId(long id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, id);
        "hive-out"u8.CopyTo(bytes[8..]);
        return new Guid(bytes);
    }

    private async Task EnsureTopologyAsync(CancellationToken cancellationToken)
    {
        if (_topologyDeclared)
        {
            return;
        }

        await RabbitMqTopology.DeclareProductChangedQueuesAsync(MessagingExtensions.RabbitMqUri(configuration), cancellationToken);
        _topologyDeclared = true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox rows {Ids} hold no valid ProductChanged and were set aside unpublished")]
    private static partial void LogMalformed(ILogger logger, string ids);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published {Count} outbox event(s)")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed; retrying in {BackoffMs} ms")]
    private static partial void LogDispatchFailed(ILogger logger, double backoffMs, Exception exception);

    /// <summary>A dedicated connection LISTENing on the outbox channel, so a commit wakes the dispatcher at once.</summary>
    private sealed class Listener(NpgsqlDataSource db) : IAsyncDisposable
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
            await using var listen = new NpgsqlCommand($"LISTEN {Channel}", _connection);
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
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
        }

        public ValueTask DisposeAsync() => new(ResetAsync());
    }
}
