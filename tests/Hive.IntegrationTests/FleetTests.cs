using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace Hive.IntegrationTests;

[Collection(FleetCollection.Name)]
public sealed class FleetTests(FleetFixture fleet, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly FleetExplanation _explanation = fleet.Explain(output);

    public ValueTask DisposeAsync() => _explanation.DisposeAsync();

    [Fact]
    public async Task EveryResourceIsHealthyAndTheMigratorFinishedCleanly()
    {
        output.WriteLine($"Fleet healthy {fleet.StartupTime.TotalSeconds:0.0} s after the AppHost was built.");
        var states = await fleet.CurrentStatesAsync();
        foreach (var name in FleetFixture.LongRunningResources)
        {
            // A resource with replicas has one state per replica; every one must be healthy.
            var instances = states.Values.Where(e => e.Resource.Name == name).ToList();
            Assert.All(instances, e => Assert.Equal(HealthStatus.Healthy, e.Snapshot.HealthStatus));
            // Hive:Replicas=2 replicates every stateless service; identity and the gateway run one each here.
            Assert.Equal(name is "catalog" or "search" or "media" or "metrics" ? 2 : 1, instances.Count);
        }

        Assert.True(fleet.App.ResourceNotifications.TryGetCurrentState("migrator", out var migrator));
        Assert.Equal(KnownResourceStates.Finished, migrator!.Snapshot.State?.Text);
        Assert.Equal(0, migrator.Snapshot.ExitCode);
    }

    [Fact]
    public async Task CatalogListsTheSeededCategoriesFromPostgresThroughTheGateway()
    {
        var categories = await fleet.Gateway.GetFromJsonAsync<JsonElement>("/api/catalog/categories");

        Assert.Equal(JsonValueKind.Array, categories.ValueKind);
        var slugs = categories.EnumerateArray().Select(c => c.GetProperty("slug").GetString()).ToList();
        Assert.Contains("phones-tablets", slugs);
        Assert.Contains("agriculture", slugs);
        Assert.True(slugs.Count >= 12, $"expected the 12 seeded categories, got {slugs.Count}");
    }

    [Theory]
    [InlineData("/api/search/popular")]
    [InlineData("/api/media/sizes")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task EachServiceAnswersItsEndpointThroughTheGateway(string path)
    {
        using var response = await fleet.Gateway.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnknownRouteIsA404ProblemDetails()
    {
        using var response = await fleet.Gateway.GetAsync("/no/such/route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task TheGatewaysPublicHealthAnswersOnlyItsStatus()
    {
        foreach (var path in new[] { "/health", "/health/live", "/health/ready" })
        {
            var report = await fleet.Gateway.GetFromJsonAsync<JsonElement>(path);

            // Ready includes every service behind the gateway, but names none of them and no error text.
            Assert.Equal("Healthy", report.GetProperty("status").GetString());
            Assert.Equal(["status"], report.EnumerateObject().Select(p => p.Name));
        }
    }

    [Theory]
    [InlineData("catalog")]
    [InlineData("search")]
    [InlineData("media")]
    [InlineData("metrics")]
    public async Task EveryServiceExposesHealthLiveAndReady(string service)
    {
        using var client = fleet.App.CreateHttpClient(service);
        foreach (var path in new[] { "/health", "/health/live", "/health/ready" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{service}{path} answered {(int)response.StatusCode}");
        }

        // /health checks every dependency the service uses, not just the process.
        var full = await client.GetFromJsonAsync<JsonElement>("/health");
        var checks = full.GetProperty("checks").EnumerateObject().Select(c => c.Name).ToList();
        Assert.Contains(checks, name => name.Contains("Redis", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TraceContextIsPropagatedFromTheGatewayToTheService()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-catalog-path-for-trace");
        request.RequestUri = new Uri("/api/catalog/does-not-exist", UriKind.Relative);
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await fleet.Gateway.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        // The 404 comes from the catalog service itself; its traceId is the one the client started.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("/api/catalog/does-not-exist", problem.GetProperty("instance").GetString());
        Assert.Contains(traceId, problem.GetProperty("traceId").GetString(), StringComparison.Ordinal);
    }
}
