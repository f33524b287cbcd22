using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;

namespace Catalog.Api.Tests;

/// <summary>
/// Tokens are checked through the issuer's discovery document: every kind of bad token is a 401
/// ProblemDetails saying what was wrong, a good token without the right role a 403.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class AuthenticationTests(CatalogFixture catalog)
{
    private static readonly object NewProduct = new { name = "Sisal basket", price = 850, categoryId = 3, stock = 4 };

    public static TheoryData<string> BadTokens => ["expired", "not-yet-valid", "wrongly-signed", "unknown-key", "wrong-audience", "wrong-issuer", "alg-none", "garbage"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ABadTokenIsRefusedWith401Problem(string kind)
    {
        var tokens = catalog.Tokens;
        var seller = new Dictionary<string, object> { ["business_id"] = "1" };
        string[] roles = ["seller"];
        var token = kind switch
        {
            "expired" => tokens.Mint("s", roles, seller, lifetime: TimeSpan.FromMinutes(5), notBefore: DateTime.UtcNow.AddMinutes(-20)),
            "not-yet-valid" => tokens.Mint("s", roles, seller, notBefore: DateTime.UtcNow.AddMinutes(10)),
            // Same key id as the published key, another key: the signature cannot verify.
            "wrongly-signed" => tokens.Mint("s", roles, seller, key: new Microsoft.IdentityModel.Tokens.RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = tokens.SigningKey.KeyId }),
            "unknown-key" => tokens.Mint("s", roles, seller, key: TestTokenIssuer.NewKey()),
            "wrong-audience" => tokens.Mint("s", roles, seller, audience: "another-api"),
            "wrong-issuer" => tokens.Mint("s", roles, seller, issuer: "http://127.0.0.1:1/evil"),
            "alg-none" => tokens.Mint("s", roles, seller, unsigned: true),
            _ => "not.a.jwt",
        };
        using var client = TestTokens.ClientWith(catalog, token);
        var before = await catalog.ScalarAsync<long>("SELECT count(*) FROM products");

        using var response = await client.PostAsJsonAsync("/api/catalog/products", NewProduct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(before, await catalog.ScalarAsync<long>("SELECT count(*) FROM products"));
    }

    [Fact]
    public async Task AnExpiredTokenIsNamedAsExpired()
    {
        using var client = TestTokens.ClientWith(catalog, catalog.Tokens.Mint("s", ["seller"], lifetime: TimeSpan.FromMinutes(1), notBefore: DateTime.UtcNow.AddHours(-1)));

        using var response = await client.DeleteAsync("/api/catalog/products/1");

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABuyerTokenOnASellerEndpointIsA403Problem()
    {
        using var buyer = TestTokens.BuyerClient(catalog);

        using var response = await buyer.PostAsJsonAsync("/api/catalog/products", NewProduct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheDevTokenRouteIsGone()
    {
        using var client = catalog.Factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/catalog/dev/tokens", new { businessId = 1 });

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.IsSuccessStatusCode);
    }

    [Theory]
    [InlineData("/admin/cache")]
    [InlineData("/admin/invalidation/lag")]
    public async Task AdminEndpointsNeedAnAdminToken(string path)
    {
        using var anonymous = catalog.Factory.CreateClient();
        using var seller = TestTokens.SellerClient(catalog, CatalogFixture.BusinessA);
        using var admin = TestTokens.ClientWith(catalog, TestTokens.Admin(catalog));

        using var noToken = await anonymous.GetAsync(path);
        using var notAdmin = await seller.GetAsync(path);
        using var allowed = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.Equal("application/problem+json", notAdmin.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}
