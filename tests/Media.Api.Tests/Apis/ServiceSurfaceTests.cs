using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;

namespace Media.Api.Tests.Apis;

/// <summary>
/// What the service offers besides images: its published contract, the operators' endpoints behind the
/// admin role, health, and problem answers for unknown paths.
/// </summary>
[Collection(MediaCollection.Name)]
public sealed class ServiceSurfaceTests(MediaFixture fixture)
{
    /// <summary>
    /// The document the service serves is the contract in docs/openapi/media.json that the mobile SDK is
    /// checked against: operation names, summaries, the upload's form, the worked examples. (Hive.Mobile.Tests
    /// reads it through the AppHost; this one fails where media's own change is made.)
    /// </summary>
    [Fact]
    public async Task TheServedOpenApiDocumentIsTheCheckedInContract()
    {
        using var client = fixture.Anonymous();
        await OpenApiContract.AssertServedDocumentIsCheckedInAsync(client, "media");
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        Assert.Contains("/api/media/products/{productId}/images", document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("/admin/cache")]
    [InlineData("/admin/invalidation/lag")]
    public async Task OperatorEndpointsAnswerAdminsOnly(string path)
    {
        using var client = fixture.Anonymous();
        await OperatorEndpoints.AssertAdminsOnlyAsync(client, fixture.Tokens, path);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointsAnswer(string path)
    {
        using var client = fixture.Anonymous();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownPathIsA404Problem()
    {
        using var client = fixture.Anonymous();
        using var response = await client.GetAsync("/api/media/no-such-endpoint/here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }
}
