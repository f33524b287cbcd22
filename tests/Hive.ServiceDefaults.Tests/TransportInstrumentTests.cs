using System.Diagnostics.Metrics;
using Hive.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Hive.ServiceDefaults.Tests;

/// <summary>
/// The per-operation transport instruments are left out of the metrics unless an operator asks for them;
/// the request and connection durations stay either way.
/// </summary>
public sealed class TransportInstrumentTests
{
    private static readonly (string Meter, string Instrument)[] Dropped =
    [
        ("Microsoft.AspNetCore.Routing", "aspnetcore.routing.match_attempts"),
        ("Microsoft.AspNetCore.MemoryPool", "aspnetcore.memory_pool.rented"),
        ("Microsoft.AspNetCore.MemoryPool", "aspnetcore.memory_pool.pooled"),
        ("System.Net.Http", "http.client.active_requests"),
        ("System.Net.Http", "http.client.open_connections"),
        ("System.Net.Http", "http.client.request.time_in_queue"),
    ];

    private static readonly (string Meter, string Instrument)[] Kept =
    [
        ("Microsoft.AspNetCore.MemoryPool", "aspnetcore.memory_pool.allocated"),
        ("System.Net.Http", "http.client.request.duration"),
        ("System.Net.Http", "http.client.connection.duration"),
        ("Microsoft.AspNetCore.Server.Kestrel", "kestrel.connection.duration"),
    ];

    [Fact]
    public void TheListNamesEachDroppedInstrumentOnce()
        => Assert.Equal(Dropped.Select(d => d.Instrument).Order(), TelemetryOptions.PerOperationTransportInstruments.Order());

    [Fact]
    public async Task ByDefaultThePerOperationInstrumentsAreNotRecordedAndTheDurationsAre()
    {
        var names = await ExportedAsync(settings: null);

        Assert.Contains("http.server.request.duration", names);
        Assert.All(Kept, kept => Assert.Contains(kept.Instrument, names));
        Assert.All(Dropped, dropped => Assert.DoesNotContain(dropped.Instrument, names));
    }

    [Fact]
    public async Task AnOperatorCanTurnThemBackOn()
    {
        var names = await ExportedAsync(new Dictionary<string, string?> { [$"{TelemetryOptions.SectionName}:PerOperationTransportMetrics"] = "true" });

        Assert.Contains("http.server.request.duration", names);
        Assert.All(Kept, kept => Assert.Contains(kept.Instrument, names));
        Assert.All(Dropped, dropped => Assert.Contains(dropped.Instrument, names));
    }

    /// <summary>
    /// Serves one real request (routing records its match attempt) and records once on each listed instrument
    /// through meters of the same names as the framework's; returns the names this service's provider exported.
    /// </summary>
    private static async Task<HashSet<string>> ExportedAsync(IReadOnlyDictionary<string, string?>? settings)
    {
        var exported = new List<Metric>();
        await using var service = await TestService.StartAsync(
            configure: builder => builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported)),
            map: app => app.MapGet("/api/ping", () => "pong"),
            settings: settings);
        using (var response = await service.Client.GetAsync("/api/ping"))
        {
            Assert.Equal(StatusCodes.Status200OK, (int)response.StatusCode);
        }

        var meters = new List<Meter>();
        try
        {
            foreach (var (meterName, instrument) in Dropped.Concat(Kept))
            {
                var meter = new Meter(meterName);
                meters.Add(meter);
                meter.CreateCounter<long>(instrument).Add(1);
            }

            service.Services.GetRequiredService<MeterProvider>().ForceFlush();
            lock (exported)
            {
                return exported.Select(metric => metric.Name).ToHashSet();
            }
        }
        finally
        {
            meters.ForEach(meter => meter.Dispose());
        }
    }
}
