using Microsoft.Extensions.Diagnostics.HealthChecks;
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

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();

        builder.Services.AddHttpClient(DownstreamReadinessCheck.HttpClientName);
        builder.Services.AddHealthChecks()
            .AddCheck<DownstreamReadinessCheck>("downstream-services", HealthStatus.Unhealthy, ["ready"]);
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapReverseProxy(pipeline => pipeline.UseMiddleware<ForwarderErrorProblemDetailsMiddleware>());
        return app;
    }
}
