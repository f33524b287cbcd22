using System.Text.Json;
using Hive.Bench.Http;
using Hive.ServiceDefaults.RequestMetrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hive.Bench.Experiments;

/// <summary>
/// The cost of the per-route request figures: two identical services in this process on loopback, with
/// the fleet's defaults, one with <c>Hive:RequestMetrics:Enabled=false</c>, each answering a cached GET (a
/// product serialized once and kept in memory, as a cache hit answers); same load on both, one run.
/// </summary>
internal static class RequestMetricsBench
{
    public static async Task RunAsync(HttpClient client, LoadOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        await using var with = await StartAsync(enabled: true, cancellationToken);
        await using var without = await StartAsync(enabled: false, cancellationToken);
        var scenarios = new List<HttpScenario>
        {
            new("without request metrics", new Uri(without.Address, "/api/catalog/products/42")),
            new("with request metrics", new Uri(with.Address, "/api/catalog/products/42")),
        };

        Report.Print(await LoadRunner.RunAsync(client, scenarios, options, cancellationToken), options, output);
        var figures = with.App.Services.GetRequiredService<RequestMetrics>().Snapshot().Routes.Single(r => r.Route.Contains("products", StringComparison.Ordinal));
        output.WriteLine($"The service's own figures for the route: count {figures.Count}, p50 {figures.P50Ms} ms, p99 {figures.P99Ms} ms, rate(1m) {figures.RatePerSecond1m}/s");
    }

    private static async Task<Service> StartAsync(bool enabled, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration[RequestMetricsExtensions.EnabledSetting] = enabled ? "true" : "false";
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.UseHiveProblemDetails();
        app.MapDefaultEndpoints();
        var cached = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = 42,
            name = "Kikoi wrap 42",
            slug = "kikoi-wrap-42",
            price = 1234.00m,
            images = new[] { "/images/p/42/1.jpg" },
        });
        app.MapGet("/api/catalog/products/{id:long}", (long id) => Results.Bytes(cached, "application/json"));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Service(app, new Uri(address));
    }

    private sealed record Service(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
