using Hive.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Metrics.Api.Infrastructure;

/// <summary>
/// Depth and consumers of every queue the fleet consumes and of its error queue, by passive declares over
/// AMQP (no management plugin needed; a missing queue is reported, never created).
/// </summary>
public sealed class RabbitMqProbe(IConfiguration configuration, TimeProvider clock) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    /// <summary>The queues to read: each service's ProductChanged queue and the analytics queue.</summary>
    public static IReadOnlyList<string> Queues { get; } = [.. ProductChangedQueues.Services.Select(ProductChangedQueues.For), AnalyticsQueues.Events];

    public async Task<RabbitMqOverview> ReadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await ConnectAsync(cancellationToken);
            var queues = new List<QueueDepth>();
            foreach (var queue in Queues)
            {
                var main = await DeclarePassiveAsync(connection, queue, cancellationToken);
                var error = await DeclarePassiveAsync(connection, queue + "_error", cancellationToken);
                queues.Add(new QueueDepth(queue, main is not null, main?.MessageCount ?? 0, main?.ConsumerCount ?? 0, error?.MessageCount ?? 0));
            }

            return new RabbitMqOverview(true, clock.GetUtcNow(), queues, queues.Sum(q => q.Messages), queues.Sum(q => q.ErrorMessages), null);
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException or TimeoutException)
        {
            await ResetAsync();
            return new RabbitMqOverview(false, clock.GetUtcNow(), [], 0, 0, ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ResetAsync();
        _gate.Dispose();
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true })
        {
            return _connection;
        }

        await ResetAsync();
        var factory = new ConnectionFactory
        {
            Uri = MessagingExtensions.RabbitMqUri(configuration),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
        };
        _connection = await factory.CreateConnectionAsync("hive-metrics-probe", cancellationToken);
        return _connection;
    }

    /// <summary>A missing queue closes the channel (404), so each declare gets its own.</summary>
    private static async Task<QueueDeclareOk?> DeclarePassiveAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    private async Task ResetAsync()
    {
        if (_connection is not null)
        {
            try
            {
                await _connection.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or AlreadyClosedException or OperationInterruptedException)
            {
                // Already broken: nothing to close.
            }

            _connection = null;
        }
    }
}

public sealed record QueueDepth(string Queue, bool Exists, uint Messages, uint Consumers, uint ErrorMessages);

public sealed record RabbitMqOverview(bool Reachable, DateTimeOffset TakenAt, IReadOnlyList<QueueDepth> Queues, long Messages, long ErrorMessages, string? Error);
