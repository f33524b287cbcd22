using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hive.IntegrationTests.Scale;

/// <summary>
/// The fleet at scale: three replicas of every stateless service (catalog, search, media, metrics), two
/// gateways, one identity (see Hive.AppHost/Program.cs for why it stays one). Metrics refreshes its views
/// every two seconds, so the three replicas contend for the refresh lock many times during a run, and one route
/// has a small rate-limit budget that the two gateways must share. The load run happens once, on the first
/// test that asks for it; the tests read its record.
/// </summary>
public sealed class ScaleFleetFixture : FleetFixture
{
    public const int Replicas = 3;
    public const int GatewayReplicas = 2;

    /// <summary>The budget of the probed route, per client and window.</summary>
    public const int SizesLimit = 20;

    private readonly Lazy<Task<ScaleRun>> _run;

    public ScaleFleetFixture()
    {
        _run = new Lazy<Task<ScaleRun>>(() => ScaleRun.ExecuteAsync(this));
    }

    // Sixteen .NET processes besides the servers: a start on two shared cores takes many minutes.
    protected override TimeSpan StartTimeout => TimeSpan.FromMinutes(20);

    protected override bool Dashboard => false;

    protected override string[] Arguments =>
    [
        "--Hive:Infrastructure=Executables", "--Hive:Seed=demo", $"--Hive:DemoPassword={DemoPassword}",
        $"--Hive:Replicas={Replicas}", $"--Hive:GatewayReplicas={GatewayReplicas}",
        .. GenerousRateLimits,
        "--Gateway:RateLimits:Policies:sizes:Limit=" + SizesLimit,
        "--Gateway:RateLimits:Policies:sizes:Window=00:05:00",
        // Replaces the first rule of appsettings.json (health) with one just for the probed route.
        "--Gateway:RateLimits:Rules:0:Policy=sizes",
        "--Gateway:RateLimits:Rules:0:PathPrefix=/api/media/sizes",
    ];

    /// <summary>The load run and what it observed (run once, on first use).</summary>
    internal Task<ScaleRun> RunAsync() => _run.Value;

    public override async Task InitializeAsync()
    {
        // The collection's fixture is made even when every test is skipped: start nothing then.
        if (ScaleFactAttribute.Enabled)
        {
            await base.InitializeAsync();
        }
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        // The AppHost copies every console line of its sixteen services into the test's log; under load that
        // is hundreds of thousands of lines costing the two cores more than the requests (FleetLog still reads them).
        builder.Services.AddLogging(logging => logging.AddFilter("Hive.AppHost.Resources", LogLevel.Warning));

        // Every metrics replica tries a refresh round every two seconds instead of every five minutes (a round
        // takes about a second on the loaded machine, so the three contend for the lock all the time).
        var metrics = builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == "metrics");
        metrics.Annotations.Add(new EnvironmentCallbackAnnotation("Metrics__MaterializedViews__Interval", () => "00:00:02"));
        metrics.Annotations.Add(new EnvironmentCallbackAnnotation("Metrics__MaterializedViews__InitialDelay", () => "00:00:01"));
        // A replica that finds the lock held says so (at Debug): the evidence that all three kept trying.
        metrics.Annotations.Add(new EnvironmentCallbackAnnotation("Logging__LogLevel__Metrics.Api.Views.MaterializedViewRefresher", () => "Debug"));
    }
}

[CollectionDefinition(Name)]
public sealed class ScaleFleetCollection : ICollectionFixture<ScaleFleetFixture>
{
    public const string Name = "scale fleet";
}

/// <summary>
/// The scale tests start sixteen service processes and load them for half a minute: too heavy for every
/// run on a two-core machine, so they run only when asked: <c>HIVE_SCALE_TESTS=1 dotnet test
/// tests/Hive.IntegrationTests --filter FullyQualifiedName~Scale</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ScaleFactAttribute : FactAttribute
{
    public ScaleFactAttribute()
    {
        if (!Enabled)
        {
            Skip = "Opt-in (three replicas of every service and two gateways under load for minutes): run with HIVE_SCALE_TESTS=1.";
        }
    }

    public static bool Enabled => Environment.GetEnvironmentVariable("HIVE_SCALE_TESTS") == "1";
}
