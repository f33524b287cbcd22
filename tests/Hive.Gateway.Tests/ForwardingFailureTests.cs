using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hive.Gateway.Tests;

/// <summary>
/// A service that is down or too slow must never make the gateway hang or answer a bare 5xx: clients get
/// a ProblemDetails saying which service, within the cluster's configured timeout.
/// </summary>
public sealed class ForwardingFailureTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly ClosedPort _closedPort = new();
    private WebApplication? _slowService;
    private WebApplicationFactory<Program>? _gateway;

    public async Task InitializeAsync()
    {
        // A real HTTP service that answers only after 30 s, far beyond the cluster timeout set below.
        var slowPort = LocalServer.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{slowPort}");
        _slowService = builder.Build();
        _slowService.MapGet("/api/search/slow", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return Results.Ok();
        });
        await _slowService.StartAsync();

        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:redis", redis.Configuration);
            host.UseSetting("ReverseProxy:Clusters:media:Destinations:d1:Address", $"http://127.0.0.1:{_closedPort.Port}");
            host.UseSetting("ReverseProxy:Clusters:search:Destinations:d1:Address", $"http://127.0.0.1:{slowPort}");
            host.UseSetting("ReverseProxy:Clusters:search:HttpRequest:ActivityTimeout", "00:00:01");
        });
    }

    public async Task DisposeAsync()
    {
        _gateway?.Dispose();
        _closedPort.Dispose();
        if (_slowService is not null)
        {
            await _slowService.DisposeAsync();
        }
    }

    [Fact]
    public async Task AServiceThatIsDownGivesA503ProblemDetailsNamingIt()
    {
        using var client = _gateway!.CreateClient();

        using var response = await client.GetAsync("/api/media/sizes");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter is not null, "a 503 tells the client when to retry");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Contains("'media'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceThatDoesNotAnswerInTimeGivesA504ProblemDetailsInsteadOfAHang()
    {
        using var client = _gateway!.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(20);

        using var response = await client.GetAsync("/api/search/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'search'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownRouteIsA404ProblemDetails()
    {
        using var client = _gateway!.CreateClient();

        using var response = await client.GetAsync("/api/unknown/thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ReadinessIsUnhealthyWhenAServiceBehindTheGatewayIsDown()
    {
        using var client = _gateway!.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // Public: the status only; which service failed and why stays with the operators (dashboard, logs).
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        Assert.Equal(["status"], report.EnumerateObject().Select(p => p.Name));
    }
}
