using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
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
/// The dispatcher's own loop on a real Postgres outbox table: how a commit wakes it, what happens when its
/// LISTEN connection breaks, and a stop while a publish is pending. The bus is a stand-in that records or
/// fails publishes (catalog's tests cover the real publish through RabbitMQ); each test has its own database.
/// </summary>
public sealed class OutboxDispatcherTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Table = "test_outbox";
    private const string Channel = "test_outbox_wake";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ARowCommittedWhileTheDispatcherIsIdleIsPublishedOnItsNotify()
    {
        await using var outbox = await StartIdleAsync();

        await outbox.AppendAsync(2);
        await outbox.WaitPublishedAsync(2);

        Assert.Equal([1L, 2L], outbox.Published.Select(m => m.ProductId));
        await outbox.WaitAllMarkedPublishedAsync();
        Assert.Empty(outbox.Logger.Problems);
        Assert.Equal(1, outbox.TopologyDeclarations);
    }

    [Fact]
    public async Task AnIdleDispatcherLeavesTheDatabaseAloneUntilSomethingIsCommitted()
    {
        await using var outbox = await StartIdleAsync();

        // Transactions committed in this database over three idle seconds: the two reads of the counter, and
        // nothing of the dispatcher's (a loop that claims round after round commits hundreds).
        var before = await outbox.CommittedTransactionsAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var idle = await outbox.CommittedTransactionsAsync() - before;
        Assert.True(idle < 20, $"{idle} transactions committed while idle");
    }

    [Fact]
    public async Task AProductsNextMessageGoesOutRightAfterItsFirstWithoutWaitingForTheIdlePoll()
    {
        // One commit, one NOTIFY: the round after the one that published version 1 must follow unasked.
        await using var outbox = await StartIdleAsync();
        await outbox.AppendMessagesAsync(2, Message(2, 1), Message(2, 2));
        await outbox.WaitPublishedAsync(2, version: 2);

        Assert.Equal([1L, 2L], outbox.Published.Where(m => m.ProductId == 2).Select(m => m.Version));
    }

    [Fact]
    public async Task APublishTheBrokerNeverConfirmsIsRetriedAfterThePublishTimeoutAndItsRowStaysUnpublished()
    {
        var bus = new SilentBus();
        await using var outbox = await StartAsync(bus, o => o.PublishTimeout = TimeSpan.FromMilliseconds(200));
        await outbox.AppendAsync(3);

        await Eventually.TrueAsync(() => Task.FromResult(bus.Attempts >= 3), Bound, "the publish is tried again");
        Assert.Contains(outbox.Logger.Problems, p => p.Exception is OperationCanceledException && p.Message.Contains(Table, StringComparison.Ordinal));
        Assert.Equal(1L, await outbox.UnpublishedAsync());
    }

    [Fact]
    public async Task ARowThatHoldsNoValidMessageIsSetAsideAndTheProductsNextMessageStillGoesOut()
    {
        await using var outbox = await StartAsync(new RecordingBus(), o => o.IdlePoll = TimeSpan.FromMinutes(1));
        await outbox.AppendMessagesAsync(5, new ProductChanged(5, 1, 1, string.Empty, ProductChangeKind.Updated, 1, DateTimeOffset.UtcNow));
        await outbox.AppendAsync(5, version: 2);
        await outbox.WaitPublishedAsync(5, version: 2);

        Assert.Equal([2L], outbox.Published.Select(m => m.Version));
        await outbox.WaitAllMarkedPublishedAsync();
        Assert.Contains(outbox.Logger.Problems, p => p.Level == LogLevel.Error && p.Message.Contains("no valid message", StringComparison.Ordinal));
        await using var command = outbox.Command($"SELECT last_error FROM {Table} ORDER BY id LIMIT 1");
        Assert.StartsWith("malformed", (string?)await command.ExecuteScalarAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoppedDispatcherHandsBackAConnectionThatNoLongerListens()
    {
        await using var outbox = await StartIdleAsync();

        await outbox.Dispatcher.StopAsync(CancellationToken.None);

        // Pooled connections are not reset on return: a connection still listening would hand the outbox's
        // notifications to whoever uses it next. Read from outside the pool, since a pooled query would take
        // the handed-back connection and overwrite the last statement it ran.
        Assert.Equal(
            [("UNLISTEN *", "idle")],
            await outbox.OutsideThePoolAsync("SELECT query, state FROM pg_stat_activity WHERE (query = 'UNLISTEN *' OR query LIKE 'LISTEN %') AND pid <> pg_backend_pid() AND datname = current_database()"));
        await using var command = outbox.Command("SELECT count(*) FROM pg_listening_channels()");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AListenerWhoseConnectionBreaksIsReportedAndTheDispatcherListensAgain()
    {
        await using var outbox = await StartIdleAsync();

        await outbox.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN {Channel}' AND datname = current_database()");
        await Eventually.TrueAsync(() => Task.FromResult(outbox.Logger.Problems.Any(p => p.Exception is NpgsqlException)), Bound, "the broken listener is reported");
        await Eventually.TrueAsync(async () => await outbox.ListenersAsync() == 1, Bound, "the dispatcher listens again");

        await outbox.AppendAsync(2);
        await outbox.WaitPublishedAsync(2);
        await outbox.WaitAllMarkedPublishedAsync();
    }

    [Fact]
    public async Task ARoundTheBusFailsWhileTheServiceStopsIsReportedAndItsRowStaysForTheNextStart()
    {
        var bus = new StoppingBus();
        // No idle poll in the test's time. A round the commit's NOTIFY started can still be claiming when the stop
        // rolls back the publishing round and frees row 7: it must not publish the row again (seen on a loaded CI).
        await using var outbox = await StartAsync(bus, o => (o.PublishTimeout, o.IdlePoll) = (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));
        await outbox.AppendAsync(7);
        Assert.Same(bus.Publishing.Task, await Task.WhenAny(bus.Publishing.Task, Task.Delay(Bound)));

        await outbox.Dispatcher.StopAsync(CancellationToken.None);

        // A faulted ExecuteAsync is what the host logs as a crashed background service.
        Assert.True(outbox.Dispatcher.ExecuteTask!.IsCompleted);
        Assert.False(outbox.Dispatcher.ExecuteTask.IsFaulted, outbox.Dispatcher.ExecuteTask.Exception?.ToString());
        Assert.Equal(7, Assert.Single(bus.Attempts).ProductId);
        var report = Assert.Single(outbox.Logger.Problems);
        Assert.IsType<MassTransitException>(report.Exception);
        Assert.Contains(Table, report.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await outbox.UnpublishedAsync());
    }

    /// <summary>
    /// A dispatcher that has published product 1 and gone idle on its LISTEN. Its idle poll is far longer than
    /// any test: only a commit's NOTIFY can wake it.
    /// </summary>
    private async Task<RunningOutbox> StartIdleAsync()
    {
        var outbox = await StartAsync(new RecordingBus(), o => o.IdlePoll = TimeSpan.FromMinutes(1));
        try
        {
            await outbox.AppendAsync(1);
            await outbox.WaitPublishedAsync(1);
            await outbox.SettleAsync();
            return outbox;
        }
        catch
        {
            await outbox.DisposeAsync();
            throw;
        }
    }

    private static ProductChanged Message(long productId, long version)
        => new(productId, 1, 1, $"product-{productId}", ProductChangeKind.Updated, version, DateTimeOffset.UtcNow);

    private async Task<RunningOutbox> StartAsync(IBusStandIn bus, Action<OutboxDispatchOptions> configure)
    {
        var connectionString = await postgres.CreateDatabaseAsync("outbox");
        var db = NpgsqlDataSource.Create(connectionString);
        var declarations = new StrongBox<int>();
        var table = new OutboxTable<ProductChanged>(Table, Channel, change => !string.IsNullOrEmpty(change.Slug), (_, _) =>
        {
            Interlocked.Increment(ref declarations.Value);
            return Task.CompletedTask;
        });
        var services = new ServiceCollection();
        services.AddOptions<OutboxDispatchOptions>(Table).Configure(configure);
        var provider = services.BuildServiceProvider();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{MessagingExtensions.ConnectionName}"] = "amqp://localhost:5672" })
            .Build();
        var logger = new RecordingLogger<OutboxDispatcher<ProductChanged>>();
        var dispatcher = new OutboxDispatcher<ProductChanged>(
            db, bus.Bus, configuration, table, provider.GetRequiredService<IOptionsMonitor<OutboxDispatchOptions>>(), logger);
        var outbox = new RunningOutbox(connectionString, db, provider, table, declarations, dispatcher, bus, logger);
        await outbox.ExecuteAsync($"""
            CREATE TABLE {Table} (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, message_type text NOT NULL, aggregate_id bigint NOT NULL,
                payload jsonb NOT NULL, occurred_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz,
                attempts integer NOT NULL DEFAULT 0, last_error text, trace_parent text)
            """);
        await dispatcher.StartAsync(CancellationToken.None);
        return outbox;
    }

    private sealed class RunningOutbox(
        string connectionString,
        NpgsqlDataSource db,
        ServiceProvider provider,
        OutboxTable<ProductChanged> table,
        StrongBox<int> declarations,
        OutboxDispatcher<ProductChanged> dispatcher,
        IBusStandIn bus,
        RecordingLogger<OutboxDispatcher<ProductChanged>> logger)
        : IAsyncDisposable
    {
        public OutboxDispatcher<ProductChanged> Dispatcher => dispatcher;

        public ConcurrentQueue<ProductChanged> Published => ((RecordingBus)bus).Published;

        public RecordingLogger<OutboxDispatcher<ProductChanged>> Logger => logger;

        public int TopologyDeclarations => declarations.Value;

        public Task AppendAsync(long productId, long version = 1) => AppendMessagesAsync(productId, Message(productId, version));

        /// <summary>Commits the product's messages in one transaction, as catalog does.</summary>
        public async Task AppendMessagesAsync(long productId, params ProductChanged[] messages)
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            foreach (var message in messages)
            {
                await OutboxWriter.AppendAsync(table, connection, tx, productId, message, CancellationToken.None);
            }

            await tx.CommitAsync();
        }

        public Task WaitPublishedAsync(long productId, long version = 1)
            => Eventually.TrueAsync(() => Task.FromResult(Published.Any(m => m.ProductId == productId && m.Version == version)), Bound, $"product {productId} version {version} is published");

        public async Task<long> CommittedTransactionsAsync()
        {
            await using var command = db.CreateCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public NpgsqlCommand Command(string sql) => db.CreateCommand(sql);

        /// <summary>Rows of two text columns, read on a connection of its own rather than one of the pool's.</summary>
        public async Task<List<(string, string)>> OutsideThePoolAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<(string, string)>();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }

            return rows;
        }

        /// <summary>Lets the round that follows a publishing round end, so the dispatcher is idle on its LISTEN.</summary>
        public async Task SettleAsync()
        {
            await Eventually.TrueAsync(async () => await UnpublishedAsync() == 0 && await ListenersAsync() == 1, Bound, "the dispatcher is idle");
            await Task.Delay(300);
        }

        /// <summary>
        /// The dispatcher marks its rows published once the broker has confirmed them, in the commit after the
        /// publish: a test that has seen the publish waits for that commit.
        /// </summary>
        public Task WaitAllMarkedPublishedAsync()
            => Eventually.TrueAsync(async () => await UnpublishedAsync() == 0, Bound, "every row is marked published");

        public async Task<long> UnpublishedAsync()
        {
            await using var command = db.CreateCommand($"SELECT count(*) FROM {Table} WHERE published_at IS NULL");
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async Task<long> ListenersAsync()
        {
            await using var command = db.CreateCommand($"SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN {Channel}' AND state = 'idle' AND datname = current_database()");
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async Task ExecuteAsync(string sql)
        {
            await using var command = db.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await dispatcher.StopAsync(CancellationToken.None);
            dispatcher.Dispose();
            await provider.DisposeAsync();
            await db.DisposeAsync();
        }
    }

    private interface IBusStandIn
    {
        IBus Bus { get; }
    }

    /// <summary>Records each published message and confirms it at once.</summary>
    private sealed class RecordingBus : IBusStandIn
    {
        public RecordingBus() => Bus = BusProxy.Create(args =>
        {
            Published.Enqueue((ProductChanged)args[0]!);
            return Task.CompletedTask;
        });

        public IBus Bus { get; }

        public ConcurrentQueue<ProductChanged> Published { get; } = new();
    }

    /// <summary>A broker that never confirms: every publish waits until it is cancelled.</summary>
    private sealed class SilentBus : IBusStandIn
    {
        private int _attempts;

        public SilentBus() => Bus = BusProxy.Create(args =>
        {
            Interlocked.Increment(ref _attempts);
            return Task.Delay(Timeout.Infinite, args.OfType<CancellationToken>().Single());
        });

        public IBus Bus { get; }

        public int Attempts => Volatile.Read(ref _attempts);
    }

    /// <summary>
    /// A bus going down: a publish waits until it is cancelled, then fails with the bus's own exception rather
    /// than a cancellation (as a transport torn down under a pending confirm does).
    /// </summary>
    private sealed class StoppingBus : IBusStandIn
    {
        public StoppingBus() => Bus = BusProxy.Create(args =>
        {
            Attempts.Enqueue((ProductChanged)args[0]!);
            Publishing.TrySetResult();
            return FailWhenCancelledAsync(args.OfType<CancellationToken>().Single());
        });

        public IBus Bus { get; }

        public TaskCompletionSource Publishing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<ProductChanged> Attempts { get; } = new();

        private static async Task FailWhenCancelledAsync(CancellationToken token)
        {
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new MassTransitException("The bus stopped before the broker confirmed the publish.");
        }
    }

    /// <summary>An <see cref="IBus"/> whose publishes run <see cref="Publish"/>; every other call is refused.</summary>
    public class BusProxy : DispatchProxy
    {
        private Func<object?[], Task>? _publish;

        public static IBus Create(Func<object?[], Task> publish)
        {
            var bus = Create<IBus, BusProxy>();
            ((BusProxy)(object)bus)._publish = publish;
            return bus;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
            => targetMethod is { Name: "Publish" } && targetMethod.ReturnType == typeof(Task)
                ? _publish!(args!)
                : throw new NotSupportedException(targetMethod?.Name);
    }

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> _entries = new();

        /// <summary>Warnings and errors.</summary>
        public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Problems
            => _entries.Where(e => e.Level >= LogLevel.Warning).ToList();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
