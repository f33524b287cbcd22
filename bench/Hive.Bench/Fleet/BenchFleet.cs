using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hive.Bench.Fleet;

/// <summary>Starts the real AppHost (as the integration tests do) so a benchmark needs no fleet running already.</summary>
internal sealed class BenchFleet : IAsyncDisposable
{
    /// <summary>The demo accounts' password in a bench fleet (a throw-away fleet; never a real password).</summary>
    public const string DemoPassword = "bench-demo-password";

    private readonly DistributedApplication _app;

    private BenchFleet(DistributedApplication app) => _app = app;

    public static async Task<BenchFleet> StartAsync(IEnumerable<string> appHostArgs, CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Hive_AppHost>(
            ["--Hive:Infrastructure=Executables", $"--Hive:DemoPassword={DemoPassword}", .. appHostArgs], cancellationToken);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            // Probes fail until each resource is up; that is expected during start-up, not news.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Hive.AppHost.Resources", LogLevel.Error));
        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        foreach (var resource in new[] { "catalog", "search", "media", "metrics", "gateway" })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken);
        }
        return new BenchFleet(app);
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
