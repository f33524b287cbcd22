using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hive.Bench.Fleet;

/// <summary>Starts the real AppHost (as the integration tests do) so a benchmark needs no fleet running already.</summary>
internal sealed class BenchFleet : IAsyncDisposable
{
    private readonly DistributedApplication _app;

    private BenchFleet(DistributedApplication app, OtlpSink telemetry, string demoPassword, string environment)
    {
        _app = app;
        Telemetry = telemetry;
        DemoPassword = demoPassword;
        Environment = environment;
    }

    /// <summary>The AppHost's environment, which every service runs in (Development unless the arguments say otherwise).</summary>
    public string Environment { get; }

    /// <summary>Where the services export their traces, metrics and logs (a sink standing in for a collector).</summary>
    public OtlpSink Telemetry { get; }

    /// <summary>The demo accounts' password in a benchmark fleet (made up per run).</summary>
    public string DemoPassword { get; }

    public static async Task<BenchFleet> StartAsync(IEnumerable<string> appHostArgs, CancellationToken cancellationToken)
    {
        var password = "bench-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var telemetry = await OtlpSink.StartAsync(cancellationToken);
        string[] arguments =
        [
            "--Hive:Infrastructure=Executables", $"--Hive:DemoPassword={password}",
            // No dashboard runs here: the services export to a sink instead, as they would to a collector.
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={telemetry.Endpoint}",
            .. appHostArgs,
        ];
        if (arguments.Any(a => a.Equals("--environment=Production", StringComparison.OrdinalIgnoreCase)))
        {
            // A Production fleet refuses to start without its token certificates and cursor keys: made up per run.
            arguments = [.. arguments, .. Hive.Testing.ProductionSecrets.AppHostArguments()];
        }

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Hive_AppHost>(arguments, cancellationToken);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // The bench's own setting (Http.InlineGenerator) must not reach a service through the environment it
            // inherits: a service has it only where the AppHost sets it (this callback runs after the AppHost's).
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables.TryAdd(Http.InlineGenerator.Variable, "0")));
        }

        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("Aspire", LogLevel.Warning)
            .AddFilter("Polly", LogLevel.Warning)
            // Probes fail until each resource is up; that is expected during start-up, not news.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            // HIVE_BENCH_SERVICE_LOGS=Information shows what the services write (for a run that goes wrong).
            .AddFilter("Hive.AppHost.Resources", Enum.TryParse<LogLevel>(System.Environment.GetEnvironmentVariable("HIVE_BENCH_SERVICE_LOGS"), out var level) ? level : LogLevel.Error));
        var app = await builder.BuildAsync(cancellationToken);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await app.StartAsync(cancellationToken);
        // Starting (and seeding) the fleet takes minutes on a loaded machine: say what is up as it comes up.
        foreach (var resource in new[] { "identity", "catalog", "search", "media", "metrics", "gateway" })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken);
            Console.Error.WriteLine($"  .. {resource} healthy after {clock.Elapsed.TotalSeconds:0} s");
        }
        return new BenchFleet(app, telemetry, password, builder.Environment.EnvironmentName);
    }

    public DistributedApplication App => _app;

    /// <summary>Runs a resource command (stop, start) as an operator would from the dashboard.</summary>
    public async Task CommandAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var result = await _app.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} on {resource} failed: {result.Message}");
        }
    }

    /// <summary>The base address of a resource's http endpoint, e.g. <c>gateway</c> or <c>catalog</c>.</summary>
    public Uri Endpoint(string resource) => _app.GetEndpoint(resource, "http");

    /// <summary>
    /// An access token from the fleet's identity service for a demo account: the password grant outside
    /// Production, code + PKCE through the sign-in page in Production (which offers no password grant).
    /// </summary>
    public async Task<string> AccessTokenAsync(string email, CancellationToken cancellationToken)
    {
        if (Environment == "Production")
        {
            var tokens = await Hive.Testing.CodeFlow.SignInAsync(Endpoint("gateway"), email, DemoPassword);
            return tokens.GetProperty("access_token").GetString()
                ?? throw new InvalidOperationException($"The token answer for {email} has no access_token.");
        }

        using var http = new HttpClient { BaseAddress = Endpoint("gateway"), Timeout = TimeSpan.FromSeconds(30) };
        return await Hive.Testing.PasswordGrant.TokenAsync(http, email, DemoPassword, cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Telemetry.DisposeAsync();
    }
}
