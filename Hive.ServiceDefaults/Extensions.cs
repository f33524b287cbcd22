using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Hive service shares: telemetry to the dashboard, health endpoints, ProblemDetails for every
/// error, service discovery and standard resilience on outgoing HTTP.
/// </summary>
public static class Extensions
{
    public const string HealthPath = "/health";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>Tag for checks that say the process itself is alive (no dependencies).</summary>
    public const string LiveTag = "live";

    /// <summary>Tag for checks that must pass before the service takes traffic.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Meter names a service adds to the defaults so its own metrics reach the dashboard.</summary>
    public static readonly List<string> AdditionalMeters = ["Hive.Caching", "Hive.Http"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddHiveProblemDetails();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter([.. AdditionalMeters]);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddSource("Hive.*")
                    .AddAspNetCoreInstrumentation(options =>
                        // Probes would drown the traces operators look at.
                        options.Filter = context => !context.Request.Path.StartsWithSegments(HealthPath))
                    .AddHttpClientInstrumentation();
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check), <c>/health/live</c> (process only) and <c>/health/ready</c>
    /// (dependencies needed to serve) in every environment: orchestrators probe production too.
    /// <paramref name="statusOnly"/> (the public gateway) answers the overall status and nothing else.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool statusOnly = false)
    {
        ArgumentNullException.ThrowIfNull(app);

        Func<HttpContext, HealthReport, Task> writer = statusOnly ? HealthResponseWriter.WriteStatusOnlyAsync : HealthResponseWriter.WriteAsync;
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = writer })
            .DisableHttpMetrics();
        app.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = writer,
        }).DisableHttpMetrics();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => !check.Tags.Contains(LiveTag),
            ResponseWriter = writer,
        }).DisableHttpMetrics();

        return app;
    }
}
