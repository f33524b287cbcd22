using System.Collections.Concurrent;
using System.Reflection;
using Hive.Contracts;
using Hive.Messaging.Outbox;
using Hive.Testing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hive.Messaging.Tests;

/// <summary>
/// A service stopping while a dispatch round is still publishing: the bus may fail that publish in any
/// way as it goes down. The stop must end cleanly (a faulted dispatcher is logged by the host as a crash),
/// the failure must be reported, and the round's row must stay unpublished so the next start sends it.
/// </summary>
public sealed class OutboxShutdownTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Table = "shutdown_outbox";

    private static readonly OutboxTable<ProductChanged> Outbox = new(
        Table, "shutdown_outbox_wake", change => change.ProductId > 0, (_, _) => Task.CompletedTask);

    [Fact]
    public async Task ARoundTheBusFailsWhileTheServiceStopsIsReportedAndItsRowStaysForTheNextStart()
    {
        var connectionString = await postgres.CreateDatabaseAsync("outbox_stop");
        await using var db = NpgsqlDataSource.Create(connectionString);
        await ExecuteAsync(db, $"""
            CREATE TABLE {Table} (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, message_type text NOT NULL, aggregate_id bigint NOT NULL,
                payload jsonb NOT NULL, occurred_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz,
                attempts integer NOT NULL DEFAULT 0, last_error text, trace_parent text)
            """);
        await using (var connection = await db.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await OutboxWriter.AppendAsync(Outbox, connection, tx, 7, new ProductChanged(7, 1, 1, "kikoi", ProductChangeKind.Updated, 3, DateTimeOffset.UtcNow), CancellationToken.None);
            await tx.CommitAsync();
        }

        var bus = StoppingBus.Create();
        var logger = new RecordingLogger<OutboxDispatcher<ProductChanged>>();
        var services = new ServiceCollection();
        services.AddOptions<OutboxDispatchOptions>(Table).Configure(o => o.PublishTimeout = TimeSpan.FromMinutes(1));
        await using var provider = services.BuildServiceProvider();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = "amqp://localhost:5672" })
            .Build();
        using var dispatcher = new OutboxDispatcher<ProductChanged>(
            db, (IBus)bus, configuration, Outbox, provider.GetRequiredService<IOptionsMonitor<OutboxDispatchOptions>>(), logger);

        await dispatcher.StartAsync(CancellationToken.None);
        var publishing = ((StoppingBus)bus).Publishing.Task;
        Assert.Same(publishing, await Task.WhenAny(publishing, Task.Delay(TimeSpan.FromSeconds(30))));

        await dispatcher.StopAsync(CancellationToken.None);

        Assert.True(dispatcher.ExecuteTask!.IsCompleted);
        Assert.False(dispatcher.ExecuteTask.IsFaulted, dispatcher.ExecuteTask.Exception?.ToString());
        var report = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Exception is MassTransitException);
        Assert.Contains(Table, report.Message, StringComparison.Ordinal);
        await using var check = db.CreateCommand($"SELECT count(*) FROM {Table} WHERE published_at IS NULL AND aggregate_id = 7");
        Assert.Equal(1L, await check.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A bus going down: a publish waits until it is cancelled, then fails with the bus's own exception rather
    /// than a cancellation (as a transport torn down under a pending confirm does). Every other call is refused.
    /// </summary>
    public class StoppingBus : DispatchProxy
    {
        public TaskCompletionSource Publishing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static object Create() => Create<IBus, StoppingBus>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod is not { Name: "Publish" } || targetMethod.ReturnType != typeof(Task))
            {
                throw new NotSupportedException(targetMethod?.Name);
            }

            var token = args!.OfType<CancellationToken>().Single();
            Publishing.TrySetResult();
            return FailWhenCancelledAsync(token);
        }

        private static async Task FailWhenCancelledAsync(CancellationToken token)
        {
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new MassTransitException("The bus stopped before the broker confirmed the publish.");
        }
    }

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
