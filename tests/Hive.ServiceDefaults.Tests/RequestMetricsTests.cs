using System.Net;
using System.Net.Http.Json;
using Hive.ServiceDefaults.RequestMetrics;
using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hive.ServiceDefaults.Tests;

/// <summary>A small service on Kestrel (real HTTP on loopback) with the fleet's defaults.</summary>
public sealed class SampleService : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["OTEL_SERVICE_NAME"] = "sample";
        builder.Configuration["Hive:RequestMetrics:SlowThreshold"] = "00:00:10";
        builder.Configuration["Hive:RequestMetrics:SlowThresholds:/slow"] = "00:00:00.050";
        builder.Configuration["Hive:RequestMetrics:SlowRequestsKept"] = "3";
        builder.AddServiceDefaults();
        _app = builder.Build();
        _app.UseHiveProblemDetails();
        _app.MapDefaultEndpoints();
        _app.MapGet("/items/{id:long}", (long id) => id > 100 ? Results.NotFound() : Results.Ok(new { id }));
        _app.MapGet("/boom", IResult () => throw new InvalidOperationException("the handler failed"));
        _app.MapGet("/slow", async () =>
        {
            await Task.Delay(80);
            return Results.Ok();
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public Task<RequestMetricsSnapshot?> SnapshotAsync() => Client.GetFromJsonAsync<RequestMetricsSnapshot>(RequestMetricsExtensions.Path);

    public async Task<RouteStatistics?> RouteAsync(string route)
        => (await SnapshotAsync())!.Routes.SingleOrDefault(r => r.Route == route);

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

public sealed class RequestMetricsTests(SampleService service) : IClassFixture<SampleService>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RequestsAreCountedPerRouteTemplateNeverPerRawPath()
    {
        for (var id = 1; id <= 6; id++)
        {
            (await service.Client.GetAsync($"/items/{id}")).EnsureSuccessStatusCode();
        }

        var route = await Eventually.SucceedsAsync(() => service.RouteAsync("GET /items/{id:long}"), r => r is { Count: >= 6 }, Deadline, "six reads of one template");

        var snapshot = await service.SnapshotAsync();
        Assert.Equal("sample", snapshot!.Service);
        Assert.DoesNotContain(snapshot.Routes, r => r.Route.Contains("/items/1", StringComparison.Ordinal));
        Assert.True(route!.AverageMs > 0);
        Assert.True(route.P50Ms > 0 && route.P50Ms <= route.P95Ms && route.P95Ms <= route.P99Ms && route.P99Ms <= route.MaxMs);
    }

    [Fact]
    public async Task ClientErrorsAndServerErrorsAreCountedApart()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync("/items/101")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync("/items/102")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await service.Client.GetAsync("/boom")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync("/no/such/route")).StatusCode);

        var items = await Eventually.SucceedsAsync(() => service.RouteAsync("GET /items/{id:long}"), r => r is { ClientErrors: >= 2 }, Deadline, "two 404s from the item route");
        var boom = await Eventually.SucceedsAsync(() => service.RouteAsync("GET /boom"), r => r is { ServerErrors: 1 }, Deadline, "one 500");
        var unmatched = await Eventually.SucceedsAsync(() => service.RouteAsync("GET (unmatched)"), r => r is { ClientErrors: >= 1 }, Deadline, "a path no route matches");

        Assert.Equal(0, items!.ServerErrors);
        Assert.Equal(0, boom!.ClientErrors);
        Assert.Equal(0, unmatched!.ServerErrors);
    }

    [Fact]
    public async Task SlowRequestsAreKeptWithRouteStatusDurationAndTraceIdUpToTheConfiguredNumber()
    {
        for (var i = 0; i < 4; i++)
        {
            (await service.Client.GetAsync("/slow")).EnsureSuccessStatusCode();
        }

        (await service.Client.GetAsync("/items/7")).EnsureSuccessStatusCode();

        var snapshot = await Eventually.SucceedsAsync(service.SnapshotAsync, s => s!.Routes.Any(r => r.Route == "GET /slow" && r.SlowRequests >= 4), Deadline, "four slow requests");

        // Only the slow route's own threshold (50 ms) applies; the default (10 s) keeps the item reads out.
        Assert.Equal(3, snapshot!.SlowRequests.Count);
        Assert.All(snapshot.SlowRequests, slow =>
        {
            Assert.Equal("GET /slow", slow.Route);
            Assert.Equal(200, slow.Status);
            Assert.True(slow.DurationMs >= 50, $"{slow.DurationMs} ms");
            Assert.Matches("^[0-9a-f]{32}$", slow.TraceId);
        });
        Assert.Equal(50, snapshot.Routes.Single(r => r.Route == "GET /slow").SlowThresholdMs);
    }

    [Fact]
    public async Task RatesOverOneAndFiveMinutesFollowTheTraffic()
    {
        for (var i = 0; i < 20; i++)
        {
            (await service.Client.GetAsync("/items/42")).EnsureSuccessStatusCode();
        }

        // Rates are sampled every 5 s: within one tick they show the traffic.
        var snapshot = await Eventually.SucceedsAsync(service.SnapshotAsync, s => s!.RatePerSecond1m > 0, Deadline, "a rate after the first tick");

        var items = snapshot!.Routes.Single(r => r.Route == "GET /items/{id:long}");
        Assert.True(items.RatePerSecond1m > 0);
        Assert.True(items.RatePerSecond5m > 0);
        Assert.True(items.RatePerSecond5m <= items.RatePerSecond1m * 1.0001 || items.RatePerSecond1m == 0);
    }
}
