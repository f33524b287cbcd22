using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Hive.ServiceDefaults.Tests;

/// <summary>
/// What operators see on the dashboard: request traces (without the probes' noise), the service's own
/// and Hive's activity sources, request and Hive metrics, and logs with their message and scopes.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private readonly List<LogRecord> _logs = [];
    private TestService? _service;

    private HttpClient Client => _service!.Client;

    public async Task InitializeAsync()
        => _service = await TestService.StartAsync(
            configure: builder =>
            {
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
                builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
                builder.Logging.AddOpenTelemetry(logging => logging.AddInMemoryExporter(_logs));
            },
            map: app =>
            {
                app.MapGet("/api/ping", () => "pong");
                app.MapGet("/api/log", (ILogger<TelemetryTests> logger) =>
                {
                    using (logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = 42 }))
                    {
                        logger.LogWarning("Stock for product {ProductId} is low", 7);
                    }

                    return "logged";
                });
            });

    public async Task DisposeAsync() => await _service!.DisposeAsync();

    [Fact]
    public async Task RequestsAreTracedButHealthProbesAreNot()
    {
        using (await Client.GetAsync(Extensions.LivePath))
        using (await Client.GetAsync(Extensions.HealthPath))
        using (await Client.GetAsync("/api/ping"))
        {
        }

        await Eventually.TrueAsync(() => Task.FromResult(PathsTraced().Contains("/api/ping")), Deadline, "the request to /api/ping is traced");
        Assert.DoesNotContain(PathsTraced(), path => path.StartsWith(Extensions.HealthPath, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(TestService.ApplicationName)]
    [InlineData("Hive.Caching")]
    [InlineData("Hive.Anything.New")]
    public void TheServicesOwnAndEveryHiveActivitySourceIsTraced(string sourceName)
    {
        using var source = new ActivitySource(sourceName);
        using (var activity = source.StartActivity("lookup"))
        {
            Assert.NotNull(activity);
        }

        lock (_spans)
        {
            Assert.Contains(_spans, span => span.Source.Name == sourceName && span.DisplayName == "lookup");
        }
    }

    [Fact]
    public async Task RequestDurationsAndHiveMetersReachTheMetricsPipeline()
    {
        using var meter = new Meter("Hive.Caching");
        meter.CreateCounter<long>("hive.test.probe").Add(3);
        using (await Client.GetAsync("/api/ping"))
        {
        }

        var provider = _service!.Services.GetRequiredService<MeterProvider>();
        await Eventually.TrueAsync(
            () =>
            {
                provider.ForceFlush();
                var names = _metrics.Select(metric => metric.Name).ToHashSet();
                return Task.FromResult(names.Contains("hive.test.probe") && names.Contains("http.server.request.duration"));
            },
            Deadline,
            "the Hive meter and ASP.NET Core's request duration are exported");
    }

    [Fact]
    public async Task LogsCarryTheirFormattedMessageAndScopes()
    {
        using (await Client.GetAsync("/api/log"))
        {
        }

        var record = _logs.Single(log => log.CategoryName == typeof(TelemetryTests).FullName);
        Assert.Equal("Stock for product 7 is low", record.FormattedMessage);
        var scopes = new List<KeyValuePair<string, object?>>();
        record.ForEachScope(
            (scope, list) =>
            {
                foreach (var item in scope)
                {
                    list.Add(new KeyValuePair<string, object?>(item.Key, item.Value));
                }
            },
            scopes);
        Assert.Contains(new KeyValuePair<string, object?>("OrderId", 42), scopes);
    }

    private List<string> PathsTraced()
    {
        lock (_spans)
        {
            return _spans.Select(span => span.GetTagItem("url.path") as string).OfType<string>().ToList();
        }
    }
}
