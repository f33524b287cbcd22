using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hive.IntegrationTests;

/// <summary>
/// Starts the real AppHost (infrastructure as local executables, migrator, four services, gateway; two
/// replicas each of catalog and search) once
/// for a collection of tests and waits for every resource: starting a fleet costs tens of seconds here.
/// </summary>
public class FleetFixture : IAsyncLifetime
{
    /// <summary>Resources that run for the whole life of the fleet and report health.</summary>
    public static readonly string[] LongRunningResources = ["redis", "redis-coordination", "postgres", "rabbitmq", "identity", "catalog", "search", "media", "metrics", "gateway"];

    /// <summary>The password of every demo account in the test fleets (given to the AppHost, never committed for a real one).</summary>
    public const string DemoPassword = "fleet-test-demo-password";

    /// <summary>Generous: on a loaded two-core machine a fleet start has taken more than five minutes.</summary>
    protected virtual TimeSpan StartTimeout => TimeSpan.FromMinutes(10);

    private DistributedApplication? _app;

    /// <summary>
    /// Rate limits far above what any test sends: these tests poll views many times a second from one
    /// address, and the limiter has tests of its own (<see cref="EdgeTests"/>).
    /// </summary>
    protected static readonly string[] GenerousRateLimits =
        new[] { "default", "search", "autocomplete", "writes", "media", "health" }
            .Select(policy => $"--Gateway:RateLimits:Policies:{policy}:Limit=1000000").ToArray();

    /// <summary>The AppHost's command line.</summary>
    protected virtual string[] Arguments =>
        ["--Hive:Infrastructure=Executables", "--Hive:Seed=demo", "--Hive:Replicas=2", $"--Hive:DemoPassword={DemoPassword}", .. GenerousRateLimits];

    /// <summary>
    /// The AppHost's environment (and so every service's); null keeps the testing builder's default,
    /// Development. A fleet in another environment runs without the dashboard.
    /// </summary>
    protected virtual string? EnvironmentName => null;

    /// <summary>Runs the Aspire dashboard beside the fleet (on loopback ports of its own), as <c>run.sh</c> does.</summary>
    protected virtual bool Dashboard => true;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The fleet has not started.");

    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>The fleet's console output since it started: warnings and each instance's last lines.</summary>
    public FleetLog Log { get; private set; } = null!;

    /// <summary>Time from building the AppHost to every resource healthy.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Changes the fleet's model before it is built (for example a service's settings); nothing by default.</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    public virtual async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        // The testing builder takes either the dashboard switch or the host settings, not both.
        var builder = EnvironmentName is { } environment
            ? await DistributedApplicationTestingBuilder.CreateAsync<Projects.Hive_AppHost>(Arguments, (_, host) => host.EnvironmentName = environment)
            : await DistributedApplicationTestingBuilder.CreateAsync<Projects.Hive_AppHost>(new DistributedApplicationTestingBuilderOptions { EnableDashboard = Dashboard }, Arguments);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        Configure(builder);

        _app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);

        // Followed from the start: a fleet that does not come up can then say why.
        Log = FleetLog.Follow(_app);
        await StartAndWaitAsync(_app, Log, timeout.Token);

        StartupTime = clock.Elapsed;
        Gateway = _app.CreateHttpClient("gateway");
        Gateway.Timeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>
    /// Starts the AppHost and waits until the migrator has finished and every long-running resource is
    /// healthy. When that does not happen in time it says which resource it waited for, the fleet's last
    /// warnings and that resource's last lines, not only "a task was cancelled". An instance that exits
    /// while the fleet starts ends the wait at once (the AppHost's start would otherwise wait out the whole
    /// timeout), with one exception: see <see cref="StartAgainWhenThePortWasTakenAsync"/>.
    /// </summary>
    internal static async Task StartAndWaitAsync(DistributedApplication app, FleetLog log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var waitingFor = "the AppHost's start";
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exitedForGood = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = StartAgainWhenThePortWasTakenAsync(app, log, exitedForGood, watching.Token);
        try
        {
            await UnlessOneExits(app.StartAsync(cancellationToken));
            waitingFor = "migrator";
            await UnlessOneExits(app.ResourceNotifications.WaitForResourceAsync("migrator", KnownResourceStates.Finished, cancellationToken));
            foreach (var resource in LongRunningResources)
            {
                waitingFor = resource;
                await UnlessOneExits(app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or DistributedApplicationException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"The fleet did not start: waited {clock.Elapsed:g} for {waitingFor}.{Environment.NewLine}"
                + string.Join(Environment.NewLine, log.WarningsSince(0).TakeLast(60)) + Environment.NewLine + log.LastLines(waitingFor),
                exception);
        }
        finally
        {
            await watching.CancelAsync();
            await watcher;
        }

        async Task UnlessOneExits(Task step)
        {
            if (await Task.WhenAny(step, exitedForGood.Task) == exitedForGood.Task)
            {
                waitingFor = exitedForGood.Task.Result;
                throw new InvalidOperationException($"{waitingFor} exited while the fleet started.");
            }

            await step;
        }
    }

    /// <summary>
    /// Watches the long-running instances while the fleet starts. One that exits because its port was taken
    /// between DCP handing it out and the service binding it (seen once on CI: media's Kestrel found its
    /// port in use, and the AppHost's start then waited its whole timeout) is started again, once, and what
    /// held the port goes into the log's notes. Any other exit, or a second one, completes
    /// <paramref name="exitedForGood"/> with the instance's id.
    /// </summary>
    private static async Task StartAgainWhenThePortWasTakenAsync(DistributedApplication app, FleetLog log, TaskCompletionSource<string> exitedForGood, CancellationToken cancellationToken)
    {
        var startedAgain = new HashSet<string>(StringComparer.Ordinal);
        // Instances whose exit was handled: later events repeat the exited state until the instance starts again.
        var handled = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var resourceEvent in app.ResourceNotifications.WatchAsync(cancellationToken))
            {
                var id = resourceEvent.ResourceId;
                if (!LongRunningResources.Contains(resourceEvent.Resource.Name))
                {
                    continue;
                }

                if (!IsGone(resourceEvent))
                {
                    handled.Remove(id);
                    continue;
                }

                if (!handled.Add(id))
                {
                    continue;
                }

                var bindFailure = await log.WaitForLineAsync(id, PortTaken, TimeSpan.FromSeconds(5), cancellationToken);
                if (bindFailure is null || !startedAgain.Add(id))
                {
                    exitedForGood.TrySetResult(id);
                    continue;
                }

                log.Note(id, $"started again: its port was taken when it bound it ({bindFailure.Trim()}); {PortHolders.Describe(bindFailure)}");
                var result = await app.ResourceCommands.ExecuteCommandAsync(id, KnownResourceCommands.StartCommand, cancellationToken);
                if (!result.Success)
                {
                    log.Note(id, $"could not be started again: {result.Message}");
                    exitedForGood.TrySetResult(id);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static bool IsGone(ResourceEvent resourceEvent)
        => resourceEvent.Snapshot.State?.Text is { } state
            && (state == KnownResourceStates.Exited || state == KnownResourceStates.FailedToStart || state == KnownResourceStates.Finished);

    private const string PortTaken = "address already in use";

    /// <summary>The latest state of every resource instance (replicas separately), keyed by instance id.</summary>
    public async Task<IReadOnlyDictionary<string, ResourceEvent>> CurrentStatesAsync()
    {
        // WatchAsync replays the current state of every instance first; stop once it goes quiet.
        var states = new Dictionary<string, ResourceEvent>();
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var resourceEvent in App.ResourceNotifications.WatchAsync(quiet.Token))
            {
                states[resourceEvent.ResourceId] = resourceEvent;
                quiet.CancelAfter(TimeSpan.FromMilliseconds(300));
            }
        }
        catch (OperationCanceledException)
        {
        }

        return states;
    }

    /// <summary>Instances that are neither running healthy nor a finished one-shot job (the migrator).</summary>
    public async Task<IReadOnlyList<string>> TroubledResourcesAsync()
    {
        var states = await CurrentStatesAsync();
        return states.Values
            .Where(state => state.Snapshot.State?.Text is { } text
                && text != KnownResourceStates.Finished
                && (text != KnownResourceStates.Running || state.Snapshot.HealthStatus is { } health && health != HealthStatus.Healthy))
            .Select(state => state.ResourceId)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// For a test class: remembers where the fleet's log stands now, and when disposed writes to the test's
    /// output the warnings the fleet logged meanwhile and the last lines of every instance in trouble.
    /// </summary>
    public FleetExplanation Explain(ITestOutputHelper output) => new(this, output, Log.Mark);

    /// <summary>Runs a resource command (for example <c>resource-stop</c>) as an operator would from the dashboard.</summary>
    public async Task ExecuteCommandAsync(string resource, string command)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, command);
        Assert.True(result.Success, $"{command} on {resource} failed: {result.Message}");
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Log is not null)
        {
            await Log.DisposeAsync();
        }
    }
}

/// <summary>What <see cref="FleetFixture.Explain"/> hands a test class; its disposal writes the explanation.</summary>
public sealed class FleetExplanation(FleetFixture fleet, ITestOutputHelper output, long mark) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
        => fleet.Log.WriteTo(output, mark, await fleet.TroubledResourcesAsync());
}

[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<FleetFixture>
{
    public const string Name = "fleet";
}

/// <summary>A fleet of its own for tests that stop Redis or RabbitMQ, so they cannot disturb the others.</summary>
public sealed class ChaosFleetFixture : FleetFixture
{
    // Its tests look at answers, not at the dashboard: one dashboard process less on a busy machine.
    protected override bool Dashboard => false;
}

[CollectionDefinition(Name)]
public sealed class ChaosFleetCollection : ICollectionFixture<ChaosFleetFixture>
{
    public const string Name = "chaos fleet";
}
