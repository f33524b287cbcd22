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
        await ServiceSurface.AssertAdminsOnlyAsync(client, fixture.Tokens, path);
    }

    [Theory]
    [MemberData(nameof(ServiceSurface.HealthPaths), MemberType = typeof(ServiceSurface))]
    public async Task HealthEndpointsAnswer(string path)
    {
        using var client = fixture.Anonymous();
        await ServiceSurface.AssertHealthyAsync(client, path);
    }

    [Fact]
    public async Task AnUnknownPathIsA404Problem()
    {
        using var client = fixture.Anonymous();
        await ServiceSurface.AssertUnknownPathIsA404ProblemAsync(client, "/api/media/no-such-endpoint/here");
    }
}
