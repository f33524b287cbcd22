using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;
using Xunit.Abstractions;

namespace Hive.IntegrationTests;

/// <summary>Sign-in and admin-only operations through the gateway, as a mobile app and an operator meet them.</summary>
[Collection(FleetCollection.Name)]
public sealed class IdentityFleetTests(FleetFixture fleet, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly FleetExplanation _explanation = fleet.Explain(output);

    public ValueTask DisposeAsync() => _explanation.DisposeAsync();

    [Fact]
    public async Task ABuyerSignsInWithCodeAndPkceThroughTheGatewayAndTheCatalogAcceptsTheToken()
    {
        var gateway = fleet.Gateway.BaseAddress!;
        using var browser = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };

        // Discovery through the gateway names the gateway: the app never sees an internal address.
        var discovery = await browser.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.StartsWith(gateway.GetLeftPart(UriPartial.Authority), discovery.GetProperty("issuer").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(gateway.GetLeftPart(UriPartial.Authority), discovery.GetProperty("authorization_endpoint").GetString(), StringComparison.Ordinal);

        var tokens = await CodeFlow.SignInAsync(gateway, "buyer-1@hive.test", FleetFixture.DemoPassword);
        Assert.True(tokens.TryGetProperty("refresh_token", out _));

        // A buyer token is valid at the catalog (checked there through discovery) but may not write products.
        using var asBuyer = new HttpClient { BaseAddress = gateway };
        asBuyer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        using var write = await asBuyer.PostAsJsonAsync("/api/catalog/products", new { name = "Not mine", price = 1, categoryId = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        var me = await asBuyer.GetFromJsonAsync<JsonElement>("/api/identity/me");
        Assert.Equal("buyer-1@hive.test", me.GetProperty("email").GetString());
    }

    [Theory]
    [InlineData("/admin/metrics")]
    [InlineData("/admin/metrics/cache")]
    [InlineData("/admin/cache")]
    [InlineData("/admin/invalidation/lag")]
    public async Task AdminPathsThroughTheGatewayAreForAdminsOnly(string path)
    {
        using var anonymous = fleet.App.CreateHttpClient("gateway");
        using var seller = await FleetClient.SellerAsync(fleet, 1);
        using var buyer = await FleetClient.SignedInAsync(fleet, "buyer-2@hive.test");
        using var admin = await FleetClient.SignedInAsync(fleet, "admin@hive.test");

        using var noToken = await anonymous.GetAsync(path);
        using var asSeller = await seller.GetAsync(path);
        using var asBuyer = await buyer.GetAsync(path);
        using var asAdmin = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asSeller.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asBuyer.StatusCode);
        foreach (var refused in new[] { noToken, asSeller, asBuyer })
        {
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // The fleet views answer admins; the services' own /admin endpoints are not routed from outside.
        Assert.Equal(path.StartsWith("/admin/metrics", StringComparison.Ordinal) ? HttpStatusCode.OK : HttpStatusCode.NotFound, asAdmin.StatusCode);
    }

    [Fact]
    public async Task TheFleetCacheViewReadsEveryServiceWithTheAdminsToken()
    {
        using var admin = await FleetClient.SignedInAsync(fleet, "admin@hive.test");

        var view = await admin.GetFromJsonAsync<JsonElement>("/admin/metrics/cache");

        foreach (var service in new[] { "catalog", "search", "media" })
        {
            Assert.True(view.GetProperty("services").GetProperty(service).GetProperty("answered").GetBoolean(), $"{service} did not answer: {view}");
        }
    }

    [Fact]
    public async Task NobodyCanMintASellerTokenAtTheCatalogAnyMore()
    {
        using var response = await fleet.Gateway.PostAsJsonAsync("/api/catalog/dev/tokens", new { businessId = 1 });

        Assert.False(response.IsSuccessStatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AWrongDemoPasswordIsRefusedAtTheTokenEndpoint()
    {
        using var response = await fleet.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "hive-mobile", ["username"] = "admin@hive.test", ["password"] = "not-it",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

}
