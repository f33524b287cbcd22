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
        // Every /admin path is for admins, also those no route serves: anonymous 401, others 403, admins 404.
        app.Map("/admin/{**rest}", (string? rest) => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No admin operation at /admin/{rest}."))
            .RequireAuthorization(Hive.ServiceDefaults.HivePolicies.Admin)
            .ExcludeFromDescription();
        app.MapReverseProxy(pipeline => pipeline.UseMiddleware<ForwarderErrorProblemDetailsMiddleware>());
        return app;
    }
}
