using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hive.Bench.Fleet;

/// <summary>Starts the real AppHost (as the integration tests do) so a benchmark needs no fleet running already.</summary>
internal sealed class BenchFleet : IAsyncDisposable
{
    private readonly DistributedApplication _app;

    private BenchFleet(DistributedApplication app) => _app = app;

    public static async Task<BenchFleet> StartAsync(IEnumerable<string> appHostArgs, CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Hive_AppHost>(
            ["--Hive:Infrastructure=Executables", .. appHostArgs], cancellationToken);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", cancellationToken);
        return new BenchFleet(app);
    }

    /// <summary>The base address of a resource's http endpoint, e.g. <c>gateway</c> or <c>catalog</c>.</summary>
    public Uri Endpoint(string resource) => _app.GetEndpoint(resource, "http");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
