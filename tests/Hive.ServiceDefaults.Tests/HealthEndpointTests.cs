using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Hive.ServiceDefaults.Tests;

/// <summary>
/// Orchestrators restart on /health/live and route on /health/ready: a dependency that is down must make a
/// service unready without making it look dead, and the operator must see which dependency and why.
/// </summary>
public sealed class HealthEndpointTests : IAsyncLifetime
{
    private TestService? _service;

    private HttpClient Client => _service!.Client;

    public async Task InitializeAsync()
        => _service = await TestService.StartAsync(configure: builder => builder.Services.AddHealthChecks()
            .AddCheck("postgres", () => HealthCheckResult.Healthy("answers"), ["ready"])
            .AddCheck("redis", () => HealthCheckResult.Unhealthy("connection refused"), ["ready"])
            .AddCheck("rabbitmq", () => HealthCheckResult.Unhealthy(exception: new IOException("broker unreachable")), ["ready"])
            .AddCheck("media", () => HealthCheckResult.Degraded("slow disk", new IOException("write took 9 s")), ["ready"]));

    public async Task DisposeAsync() => await _service!.DisposeAsync();

    [Fact]
    public async Task LivenessChecksOnlyTheProcess()
    {
        var (status, report) = await HealthAsync(Extensions.LivePath);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(["self"], report.GetProperty("checks").EnumerateObject().Select(check => check.Name));
    }

    [Fact]
    public async Task ReadinessChecksTheDependenciesAndNamesTheOneThatFailed()
    {
        var (status, report) = await HealthAsync(Extensions.ReadyPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks");
        Assert.Equal(["media", "postgres", "rabbitmq", "redis"], checks.EnumerateObject().Select(check => check.Name).Order());
        Assert.Equal("Unhealthy", checks.GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("connection refused", checks.GetProperty("redis").GetProperty("description").GetString());
        Assert.Equal("Healthy", checks.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("ready", checks.GetProperty("redis").GetProperty("tags")[0].GetString());
    }

    [Fact]
    public async Task AFailureWithoutDescriptionIsExplainedByItsExceptionAndADescriptionWinsOverIt()
    {
        var (_, report) = await HealthAsync(Extensions.ReadyPath);

        var checks = report.GetProperty("checks");
        Assert.Equal("broker unreachable", checks.GetProperty("rabbitmq").GetProperty("description").GetString());
        Assert.Equal("slow disk", checks.GetProperty("media").GetProperty("description").GetString());
        Assert.Equal("Degraded", checks.GetProperty("media").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheFullReportHoldsEveryCheck()
    {
        var (status, report) = await HealthAsync(Extensions.HealthPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(["media", "postgres", "rabbitmq", "redis", "self"], report.GetProperty("checks").EnumerateObject().Select(check => check.Name).Order());
        Assert.True(report.GetProperty("totalMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task HealthAnswersAreNeverCached()
    {
        using var response = await Client.GetAsync(Extensions.LivePath);

        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    private async Task<(HttpStatusCode Status, JsonElement Report)> HealthAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
