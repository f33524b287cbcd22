using System.Diagnostics;
using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hive.ServiceDefaults.Tests;

/// <summary>
/// A service must stop when told to even when its telemetry collector is down: orchestrators (DCP under
/// the AppHost, Kubernetes) kill what does not stop within their grace, and a stop that hangs holds up
/// every rolling deployment. The OTLP exporter retries a refused export until its timeout, and traces,
/// metrics and logs each flush on the way out.
/// </summary>
public sealed class TelemetryShutdownTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Generous against the measured stop (3.9 s on the loaded 2-core host; 13.8 s with the exporter's default timeout), below DCP's stop timeout
    // (about 12 s) that the exporter's default 10-second retries ran into.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(9);

    [Fact]
    public async Task AServiceWhoseCollectorRefusesConnectionsStillStopsWithinTheOrchestratorsGrace()
    {
        using var collector = new ClosedPort();
        var service = await TestService.StartAsync(
            map: app => app.MapGet("/api/ping", () => "pong"),
            settings: new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{collector.Port}",
                // What the AppHost gives every service: retry a failed export in memory.
                ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
            });
        for (var i = 0; i < 20; i++)
        {
            using var response = await service.Client.GetAsync("/api/ping");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        await service.DisposeAsync();

        output.WriteLine($"stopped in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(clock.Elapsed < Grace, $"The service took {clock.Elapsed.TotalSeconds:0.0} s to stop with its collector down.");
    }
}
