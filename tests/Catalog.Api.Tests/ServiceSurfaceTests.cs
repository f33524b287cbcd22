using System.Text.Json;
using Hive.Testing;

namespace Catalog.Api.Tests;

/// <summary>The service's published contract and its health endpoints.</summary>
[Collection(CatalogCollection.Name)]
public sealed class ServiceSurfaceTests(CatalogFixture catalog)
{
    /// <summary>
    /// The document the service serves is the contract in docs/openapi/catalog.json that the mobile SDK is
    /// checked against: operation names, summaries, tags, the worked examples. (Hive.Mobile.Tests reads it
    /// through the AppHost; this one fails where catalog's own change is made.)
    /// </summary>
    [Fact]
    public async Task TheServedOpenApiDocumentIsTheCheckedInContract()
    {
        using var client = catalog.Factory.CreateClient();
        await OpenApiContract.AssertServedDocumentIsCheckedInAsync(client, "catalog");
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => operation.Value.GetProperty("operationId").GetString()))
            .ToHashSet();
        Assert.Superset(new HashSet<string?> { "ListProducts", "GetProductById", "PlaceOrder", "CreateProduct", "ListOwnProducts" }, operations);
    }

    [Theory]
    [MemberData(nameof(ServiceSurface.HealthPaths), MemberType = typeof(ServiceSurface))]
    public async Task HealthEndpointsAnswer(string path)
    {
        using var client = catalog.Factory.CreateClient();
        await ServiceSurface.AssertHealthyAsync(client, path);
    }
}
