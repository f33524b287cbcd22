using System.Globalization;
using Hive.Contracts;
using Scalar.AspNetCore;

namespace Hive.Gateway;

/// <summary>
/// The fleet's API reference at <c>/api/docs</c>: each service behind the gateway publishes its own OpenAPI
/// document (<c>/openapi/v1.json</c>), the gateway relays it as <c>/api/docs/{service}.json</c> and Scalar
/// shows them together. Routes come from <see cref="HiveServices"/>, so a new service gets its page without
/// anybody editing the gateway's routes.
/// </summary>
internal static class ApiDocs
{
    public const string Path = "/api/docs";

    public static string DocumentPath(string service) => $"{Path}/{service}.json";

    /// <summary>Adds a YARP route per service that rewrites <c>/api/docs/{service}.json</c> to the service's document.</summary>
    public static void AddApiDocRoutes(this IConfigurationManager configuration)
    {
        var routes = new Dictionary<string, string?>();
        foreach (var service in HiveServices.BehindTheGateway)
        {
            var route = string.Create(CultureInfo.InvariantCulture, $"ReverseProxy:Routes:docs-{service}");
            routes[$"{route}:ClusterId"] = service;
            routes[$"{route}:Match:Path"] = DocumentPath(service);
            routes[$"{route}:Transforms:0:PathSet"] = "/openapi/v1.json";
        }

        configuration.AddInMemoryCollection(routes);
    }

    /// <summary>Scalar's interactive reference over every service's document, catalog first.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapScalarApiReference(Path, options =>
        {
            options.WithTitle("Hive API");
            foreach (var service in HiveServices.BehindTheGateway.OrderBy(service => service == HiveServices.Catalog ? 0 : 1))
            {
                options.AddDocument(service, CultureInfo.InvariantCulture.TextInfo.ToTitleCase(service), DocumentPath(service), isDefault: service == HiveServices.Catalog);
            }
        });
        return app;
    }
}
