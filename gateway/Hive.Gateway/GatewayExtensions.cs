using Hive.Caching;
using Hive.Gateway.Forwarding;
using Hive.Gateway.Limits;
using Hive.Gateway.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Hive.Gateway;

internal static class GatewayExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Configuration.AddApiDocRoutes();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();

        builder.Services.AddHttpClient(DownstreamReadinessCheck.HttpClientName);
        builder.Services.AddHealthChecks()
            .AddCheck<DownstreamReadinessCheck>("downstream-services", HealthStatus.Unhealthy, ["ready"]);

        builder.AddEdgeProtection();
        return builder;
    }

    /// <summary>Trusted proxies, request size limits and the Redis-backed rate limiter.</summary>
    private static void AddEdgeProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxyOptions>()
            .BindConfiguration(TrustedProxyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>();

        builder.Services.AddOptions<RequestLimitOptions>()
            .BindConfiguration(RequestLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Kestrel's own limits sit well above the gateway's so that most oversized requests reach the
        // middleware and get a ProblemDetails; only gross ones are cut off by Kestrel with a bare status.
        var limits = builder.Configuration.GetSection(RequestLimitOptions.SectionName).Get<RequestLimitOptions>() ?? new RequestLimitOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = (limits.MaxQueryStringLength + limits.MaxPathLength + 64) * RequestLimitOptions.ServerHardLimitFactor;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxHeadersTotalBytes * RequestLimitOptions.ServerHardLimitFactor;
            kestrel.Limits.MaxRequestBodySize = limits.LargestBodyLimit;
        });

        builder.Services.AddOptions<GatewayRateLimitOptions>()
            .BindConfiguration(GatewayRateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddRedisClient("redis", configureOptions: HiveRedis.Configure);
        builder.AddHiveCaching("gateway");
    }

    /// <summary>
    /// The edge in front of the proxy, in order: client address from trusted proxies, size limits. The
    /// rate limiter is separate (<see cref="UseGatewayRateLimiting"/>) so authentication can run between them.
    /// </summary>
    public static WebApplication UseGatewayLimits(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestLimitsMiddleware>();
        return app;
    }

    /// <summary>
    /// Budgets per token subject when the request is authenticated, else per client address; call it after
    /// <c>UseAuthentication()</c> so the subject is known.
    /// </summary>
    public static WebApplication UseGatewayRateLimiting(this WebApplication app)
    {
        app.UseMiddleware<RateLimitMiddleware>();
        return app;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        // Every /admin path is for admins, also those no route serves: anonymous 401, others 403, admins 404.
        app.Map("/admin/{**rest}", (string? rest) => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No admin operation at /admin/{rest}."))
            .RequireAuthorization(Hive.ServiceDefaults.HivePolicies.Admin)
            .ExcludeFromDescription();
        app.MapApiDocs();
        app.MapReverseProxy(pipeline => pipeline.UseMiddleware<ForwarderErrorProblemDetailsMiddleware>());
        return app;
    }
}
