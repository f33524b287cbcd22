using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Hive.ServiceDefaults.RequestMetrics;

public static class RequestMetricsExtensions
{
    public const string Path = "/admin/requests";

    /// <summary>Setting that turns the per-route figures off (<c>Hive:RequestMetrics:Enabled</c>, default true); the benchmark compares both.</summary>
    public const string EnabledSetting = RequestMetricsOptions.SectionName + ":Enabled";

    public static IHostApplicationBuilder AddRequestMetrics(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Configuration.GetValue(EnabledSetting, true))
        {
            return builder;
        }
        builder.Services.AddOptions<RequestMetricsOptions>()
            .BindConfiguration(RequestMetricsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        var name = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        builder.Services.TryAddSingleton<IServiceName>(new ServiceName(name));
        builder.Services.AddSingleton<RequestMetrics>();

        // Listening must begin before the first request, not when /admin/requests is first asked for.
        builder.Services.AddHostedService<RequestMetricsStarter>();
        return builder;
    }

    /// <summary>Maps <c>/admin/requests</c>: this service's figures per route (the metrics service gathers them).</summary>
    public static IEndpointRouteBuilder MapRequestMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetService<RequestMetrics>() is null)
        {
            return app;
        }

        app.MapGet(Path, (RequestMetrics metrics) => TypedResults.Ok(metrics.Snapshot()))
            .WithName("GetRequestMetrics")
            .ExcludeFromDescription()
            .DisableHttpMetrics();
        return app;
    }

    private sealed class RequestMetricsStarter(RequestMetrics metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(metrics.Service);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
