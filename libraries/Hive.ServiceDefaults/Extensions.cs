using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Hive.ServiceDefaults.RequestMetrics;
using Hive.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Configuration;
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

    /// <summary>How long one OTLP export may take, retries included, unless OTEL_EXPORTER_OTLP_TIMEOUT says otherwise.</summary>
    public static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Meters every service exports: the Hive libraries' own (cache, request figures, invalidation lag) and
    /// those of the libraries they use (MassTransit's publish/consume, Npgsql's pool and commands).
    /// </summary>
    public static readonly List<string> AdditionalMeters = ["Hive.Caching", RequestMetrics.MeterName, "Hive.Messaging", "Hive.Analytics", "MassTransit", "Npgsql"];

    /// <summary>Activity sources every service exports, so one trace runs through the outbox, RabbitMQ and each consumer.</summary>
    public static readonly List<string> AdditionalSources = ["Hive.*", "MassTransit", "Npgsql"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddHiveProblemDetails();
        builder.AddRequestMetrics();

        // Kestrel runs a request on the thread that read it and writes the answer from there, instead of
        // handing each step to the thread pool: on two cores every hand-off is a wake-up and a context switch
        // (bench/RESULTS.md, 2026-11-28). Where socket completions arrive is the runtime's setting, not this one:
        // the AppHost turns them inline only for the gateway and catalog (WithInlineSocketCompletions), whose request
        // code never blocks; elsewhere they arrive on thread-pool threads and code that blocks costs what it always did.
        if (builder.Configuration.GetValue("Hive:Kestrel:InlineScheduling", true))
        {
            builder.Services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = true);
        }

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

        var telemetry = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (telemetry.SamplingRatio is < 0 or > 1)
        {
            throw new InvalidOperationException($"{TelemetryOptions.SectionName}:SamplingRatio must be between 0 and 1.");
        }

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter([.. AdditionalMeters]);

                // A dropped instrument is never enabled, so the code that would record it skips the measurement.
                if (!telemetry.PerOperationTransportMetrics)
                {
                    foreach (var instrument in TelemetryOptions.PerOperationTransportInstruments)
                    {
                        metrics.AddView(instrument, MetricStreamConfiguration.Drop);
                    }
                }
            })
            .WithTracing(tracing =>
            {
                tracing.SetSampler(HiveSampler.For(telemetry, builder.Environment.IsDevelopment()))
                    .AddSource(builder.Environment.ApplicationName)
                    .AddSource([.. AdditionalSources])
                    .AddAspNetCoreInstrumentation(options =>
                    {
                        // Probes would drown the traces operators look at.
                        options.Filter = context => !context.Request.Path.StartsWithSegments(HealthPath);
                        options.RecordException = true;
                    })
                    .AddHttpClientInstrumentation();
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // A collector that is down must not hold a stopping service past its orchestrator's grace (DCP
            // gives about 12 s, then reports the stop failed). With retries on (the AppHost turns them on),
            // the exporter retries a refused export until its timeout, 10 s by default, and traces, metrics
            // and logs each flush on the way out: a stop took 13.8 s. Two seconds is ample for a collector
            // beside the service; an operator can still set the variable.
            builder.Configuration["OTEL_EXPORTER_OTLP_TIMEOUT"] ??= ExportTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
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

        app.MapRequestMetrics();
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
