using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using IServer = Microsoft.AspNetCore.Hosting.Server.IServer;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Hive.Caching.Tests;

/// <summary>
/// The fleet registry the metrics service reads to find every replica: what a replica announces, how long it
/// counts as live without a heartbeat, when a crashed one is forgotten, and a real service announcing itself
/// once it listens and withdrawing at its stop. The registry's key is fleet-wide, so this class has its own Redis.
/// </summary>
public sealed class FleetRegistryTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        await _connection.GetServer(_connection.GetEndPoints()[0]).FlushDatabaseAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private CoordinationRedis Coordination(IConnectionMultiplexer? connection = null) =>
        new(connection ?? _connection, new ConfigurationBuilder().Build(), Options.Create(new HiveCacheOptions { Namespace = "fleet" }));

    /// <summary>A started announcer for a replica of "fleettest" whose server listens at the addresses given.</summary>
    private static async Task<FleetAnnouncer> StartAnnouncerAsync(FleetRegistry registry, ILoggerFactory loggers, params string[] listening)
    {
        var services = new ServiceCollection().AddSingleton<IServer>(new ListeningAt(listening)).BuildServiceProvider();
        var identity = new FleetIdentity(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "fleettest" }).Build(), new HostingEnvironment());
        var lifetime = new ApplicationLifetime(loggers.CreateLogger<ApplicationLifetime>());
        var announcer = new FleetAnnouncer(registry, identity, services, lifetime, TimeProvider.System, loggers.CreateLogger<FleetAnnouncer>());
        await announcer.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();
        return announcer;
    }

    private static FleetInstance Replica(string service, string instance, int port) =>
        new(service, instance, $"http://10.0.0.{port % 250}:{port}", T0.AddHours(-1), T0.AddHours(-1));

    private Task<long> StoredAsync() => _connection.GetDatabase().HashLengthAsync(FleetRegistry.Key);

    [Fact]
    public async Task AnnouncedReplicasAreLiveInServiceOrderUntilSilentForTooLongAndForgottenLongAfter()
    {
        var clock = new FakeTimeProvider(T0);
        var registry = new FleetRegistry(Coordination(), clock);
        await registry.AnnounceAsync(Replica("search", "search-x", 5003), CancellationToken.None);
        await registry.AnnounceAsync(Replica("catalog", "catalog-b", 5002), CancellationToken.None);
        await registry.AnnounceAsync(Replica("catalog", "catalog-a", 5001), CancellationToken.None);

        var live = await registry.LiveAsync(CancellationToken.None);
        Assert.Equal(["catalog-a", "catalog-b", "search-x"], live.Select(i => i.Instance));
        // Seen when announced, by the registry's clock; the rest as the replica said.
        Assert.All(live, i => Assert.Equal(T0, i.SeenAt));
        Assert.Equal(("catalog", "http://10.0.0.1:5001", T0.AddHours(-1)), (live[0].Service, live[0].Address, live[0].StartedAt));

        // Silent for exactly the silence: still live. catalog-a's heartbeat comes then.
        clock.Advance(FleetRegistry.Silence);
        Assert.Equal(3, (await registry.LiveAsync(CancellationToken.None)).Count);
        await registry.AnnounceAsync(Replica("catalog", "catalog-a", 5001), CancellationToken.None);

        // One moment longer: the others are gone from the live list, but kept (a replica may be slow, not dead).
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["catalog-a"], (await registry.LiveAsync(CancellationToken.None)).Select(i => i.Instance));
        Assert.Equal(3, await StoredAsync());

        // Ten silences after their last heartbeat, a crashed replica (one that never withdrew) is forgotten.
        clock.Advance((FleetRegistry.Silence * 10) - FleetRegistry.Silence);
        Assert.Equal(3, await StoredAsync());
        Assert.Empty(await registry.LiveAsync(CancellationToken.None));
        Assert.Equal(1, await StoredAsync());

        // catalog-a, silent for exactly ten silences, is kept; a moment later it is forgotten too.
        clock.Advance(FleetRegistry.Silence - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await registry.LiveAsync(CancellationToken.None));
        Assert.Equal(1, await StoredAsync());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(await registry.LiveAsync(CancellationToken.None));
        Assert.Equal(0, await StoredAsync());

        // A replica that stops withdraws at once.
        await registry.AnnounceAsync(Replica("search", "search-y", 5004), CancellationToken.None);
        Assert.Equal(1, await StoredAsync());
        await registry.WithdrawAsync("search-y", CancellationToken.None);
        Assert.Equal(0, await StoredAsync());
    }

    [Fact]
    public async Task AnEntryThatIsNoReplicaIsSkippedAndRemoved()
    {
        var registry = new FleetRegistry(Coordination(), new FakeTimeProvider(T0));
        await registry.AnnounceAsync(Replica("catalog", "catalog-a", 5001), CancellationToken.None);
        await _connection.GetDatabase().HashSetAsync(FleetRegistry.Key, [new("broken", "{ not json"), new("empty", "")]);

        Assert.Equal(["catalog-a"], (await registry.LiveAsync(CancellationToken.None)).Select(i => i.Instance));
        Assert.Equal(1, await StoredAsync());
    }

    [Theory]
    [InlineData("catalog", "service.instance.id=catalog-djtsaeuk", "catalog-djtsaeuk")]
    [InlineData("catalog", "service.namespace=hive, service.instance.id = djtsaeuk", "catalog-djtsaeuk")]
    [InlineData("catalog", "service.instance.id=catalogue7", "catalog-catalogue7")]
    [InlineData("catalog", "service.instance.id=", null)]
    [InlineData("catalog", null, null)]
    [InlineData(null, "service.instance.id=r1", "Catalog.Api-r1")]
    public void AReplicaIsNamedAfterItsServiceAndTheInstanceAspireGaveIt(string? serviceName, string? attributes, string? instance)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = serviceName,
            ["OTEL_RESOURCE_ATTRIBUTES"] = attributes,
        }).Build();

        var identity = new FleetIdentity(configuration, new HostingEnvironment { ApplicationName = "Catalog.Api" });

        Assert.Equal(serviceName ?? "Catalog.Api", identity.Service);
        // Without Aspire's instance id: the machine and the process.
        Assert.Equal(instance ?? $"catalog-{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant(), identity.Instance);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0", "127.0.0.1")]
    [InlineData("http://0.0.0.0:0", null)]
    [InlineData("http://[::]:0", null)]
    [InlineData("http://+:0", null)]
    public async Task AServiceAnnouncesWhereItListensOnceItStartsAndWithdrawsWhenItStops(string listen, string? host)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(listen);
        builder.Configuration["OTEL_SERVICE_NAME"] = "fleettest";
        builder.Configuration["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=fleettest-r1";
        builder.Services.AddSingleton<IConnectionMultiplexer>(_connection);
        builder.AddHiveCaching("fleettest");
        await using var app = builder.Build();
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        var registry = app.Services.GetRequiredService<FleetRegistry>();

        var announced = await Eventually.SucceedsAsync(() => registry.LiveAsync(CancellationToken.None), live => live.Count == 1, TimeSpan.FromSeconds(20), "the replica announced");

        var replica = Assert.Single(announced);
        // Bound to every interface: other hosts reach it by the machine's name.
        Assert.Equal(("fleettest", "fleettest-r1", $"http://{host ?? Environment.MachineName.ToLowerInvariant()}:{port}"), (replica.Service, replica.Instance, replica.Address));
        await app.StopAsync();
        Assert.Equal(0, await StoredAsync());
    }

    [Theory]
    [InlineData("https://10.0.0.5:7443 http://10.0.0.5:7080", "http://10.0.0.5:7080")]
    [InlineData("http://10.0.0.5:7080 https://10.0.0.5:7443", "http://10.0.0.5:7080")]
    [InlineData("https://10.0.0.5:7443", "https://10.0.0.5:7443")]
    public async Task AReplicaListeningOnHttpAndHttpsAnnouncesItsHttpAddress(string listening, string announced)
    {
        // Services call each other over plain HTTP inside the fleet; https only when nothing else is offered.
        using var loggers = LoggerFactory.Create(_ => { });
        var registry = new FleetRegistry(Coordination(), TimeProvider.System);
        using var announcer = await StartAnnouncerAsync(registry, loggers, listening.Split(' '));

        var live = await Eventually.SucceedsAsync(() => registry.LiveAsync(CancellationToken.None), l => l.Count == 1, TimeSpan.FromSeconds(20), "the replica announced");
        Assert.Equal(announced, Assert.Single(live).Address);
        await announcer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AServerWithNoAddressAnotherProcessCouldReachAnnouncesNothingAndCarriesOn()
    {
        // An in-memory test server listens nowhere.
        using var loggers = LoggerFactory.Create(_ => { });
        var registry = new FleetRegistry(Coordination(), TimeProvider.System);
        using var announcer = await StartAnnouncerAsync(registry, loggers);

        await announcer.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(announcer.ExecuteTask.IsCompletedSuccessfully);
        Assert.Equal(0, await StoredAsync());
        await announcer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AReplicaWhoseRedisIsAwayKeepsRunningAndStopsCleanly()
    {
        using var closed = new ClosedPort();
        await using var away = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{closed.Port},abortConnect=false,connectTimeout=200");
        var logs = new WarningLog();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        using var announcer = await StartAnnouncerAsync(new FleetRegistry(Coordination(away), TimeProvider.System), loggers, "http://127.0.0.1:5999");

        await Eventually.TrueAsync(() => Task.FromResult(logs.Count == 1), TimeSpan.FromSeconds(20), "the failed announcement logged");
        Assert.False(announcer.ExecuteTask!.IsCompleted, "the announcer gave up");
        await announcer.StopAsync(CancellationToken.None);
        Assert.True(announcer.ExecuteTask.IsCompletedSuccessfully);
        // The withdrawal failed the same way, and said so.
        Assert.Equal(2, logs.Count);
    }

    /// <summary>A server that says where it listens (what Kestrel's address feature tells the announcer).</summary>
    private sealed class ListeningAt : IServer
    {
        public ListeningAt(params string[] addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses)
            {
                feature.Addresses.Add(address);
            }

            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public void Dispose()
        {
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Counts the warnings the announcer logs.</summary>
    private sealed class WarningLog : ILoggerProvider, ILogger
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning && formatter(state, exception).Contains("announce", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void Dispose()
        {
        }
    }
}
