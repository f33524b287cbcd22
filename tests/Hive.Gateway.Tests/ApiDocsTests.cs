using System.Net;
using System.Text.Json;
using Hive.Contracts;
using Hive.Testing;

namespace Hive.Gateway.Tests;

/// <summary>The gateway relays each service's OpenAPI document and shows them together at <c>/api/docs</c>.</summary>
public sealed class ApiDocsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task EachServicesDocumentIsRelayedFromItsOpenApiPath()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var gateway = GatewayHost.Start(redis.Configuration, GatewayHost.RoutedTo(backend.Address));
        using var client = gateway.CreateClient();

        foreach (var service in HiveServices.BehindTheGateway)
        {
            using var response = await client.GetAsync($"/api/docs/{service}.json");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("openapi/v1.json", body.RootElement.GetProperty("path").GetString());
        }
    }

    [Fact]
    public async Task TheReferencePageListsEveryServicesDocument()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var gateway = GatewayHost.Start(redis.Configuration, GatewayHost.RoutedTo(backend.Address));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        // Scalar's page names each document relative to the site's base path, which it works out in the browser.
        Assert.All(HiveServices.BehindTheGateway, service => Assert.Contains($"\"url\":\"api/docs/{service}.json\"", page, StringComparison.Ordinal));
    }
}
