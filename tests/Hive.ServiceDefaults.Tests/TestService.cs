using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hive.ServiceDefaults.Tests;

/// <summary>
/// A minimal service built the way every Hive service is (AddServiceDefaults, UseHiveProblemDetails, MapDefaultEndpoints) on an
/// in-memory server: the defaults are asserted through HTTP, as a client of any service sees them.
/// </summary>
internal sealed class TestService : IAsyncDisposable
{
    /// <summary>The service's name, and so the name of its own ActivitySource.</summary>
    public const string ApplicationName = "hive-defaults-probe";

    private readonly WebApplication _app;

    private TestService(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestService> StartAsync(
        Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null, string environment = "Production", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ApplicationName = ApplicationName,
        });
        builder.WebHost.UseTestServer();
        // These tests check what is traced, not how much of it is sampled (SamplerTests cover that): keep
        // every trace, or Production's ratio sampler would drop most of them at random.
        builder.Configuration[$"{Hive.ServiceDefaults.Telemetry.TelemetryOptions.SectionName}:SamplingRatio"] = "1";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.Configuration[key] = value;
        }

        builder.AddServiceDefaults();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseHiveProblemDetails();
        map?.Invoke(app);
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return new TestService(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
