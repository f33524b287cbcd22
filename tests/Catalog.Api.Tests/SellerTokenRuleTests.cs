using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Catalog.Api.Tests;

/// <summary>
/// Every rule a seller's bearer token must pass, each with a token that breaks only that rule: a write with
/// it is refused and leaves the catalog unchanged. A token that passes every rule is accepted, so a refusal
/// here is the rule at work and not a token this test got wrong.
/// </summary>
/// <remarks>
/// Tokens come from the fixture's <see cref="Hive.Testing.TestTokenIssuer"/>, which catalog trusts through
/// OpenID Connect discovery exactly as it trusts the identity service.
/// </remarks>
[Collection(CatalogCollection.Name)]
public sealed class SellerTokenRuleTests(CatalogFixture catalog)
{
    private static readonly object NewProduct = new { name = "Ankara tote bag", price = 1450.00m, categoryId = 3, stock = 5 };

    [Fact]
    public async Task ATokenThatPassesEveryRuleMayCreateAProduct()
    {
        using var response = await CreateWithAsync(Mint());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsRefused()
        => await AssertRefusedAsync(Mint(key: Hive.Testing.TestTokenIssuer.NewKey()));

    [Fact]
    public async Task ATokenWhoseClaimsWereChangedAfterSigningIsRefused()
    {
        // A genuine token of business B with its payload swapped for one naming business A.
        var parts = Mint(businessId: CatalogFixture.BusinessB).Split('.');
        var forgedPayload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"business_id\":\"2\"", "\"business_id\":\"1\"", StringComparison.Ordinal)));
        Assert.NotEqual(parts[1], forgedPayload);

        await AssertRefusedAsync($"{parts[0]}.{forgedPayload}.{parts[2]}");
    }

    [Fact]
    public async Task ATokenWithoutSignatureIsRefused()
    {
        var parts = Mint().Split('.');

        await AssertRefusedAsync($"{parts[0]}.{parts[1]}.");
    }

    [Fact]
    public async Task ATokenWithAlgorithmNoneIsRefused()
    {
        var header = Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8);
        var payload = Mint().Split('.')[1];

        await AssertRefusedAsync($"{header}.{payload}.");
    }

    [Fact]
    public async Task ATokenFromAnotherIssuerIsRefused()
        => await AssertRefusedAsync(Mint(issuer: "https://login.example.org"));

    [Fact]
    public async Task ATokenForAnotherAudienceIsRefused()
        => await AssertRefusedAsync(Mint(audience: "hive-media"));

    [Fact]
    public async Task AnExpiredTokenIsRefused()
    {
        // Expired five minutes ago: well beyond the 30 s clock skew catalog allows.
        var now = DateTime.UtcNow;
        await AssertRefusedAsync(Mint(notBefore: now.AddHours(-1), expires: now.AddMinutes(-5)));
    }

    [Fact]
    public async Task ATokenThatIsNotValidYetIsRefused()
    {
        var now = DateTime.UtcNow;
        await AssertRefusedAsync(Mint(notBefore: now.AddMinutes(10), expires: now.AddHours(1)));
    }

    [Fact]
    public async Task ATokenWithoutExpiryIsRefused()
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = catalog.Tokens.Authority,
            Audience = Hive.Testing.TestTokenIssuer.Audience,
            Subject = Claims(CatalogFixture.BusinessA),
            SigningCredentials = new SigningCredentials(catalog.Tokens.SigningKey, SecurityAlgorithms.RsaSha256),
        });

        await AssertRefusedAsync(token);
    }

    [Fact]
    public async Task ATokenInTheWrongSchemeIsRefused()
    {
        using var client = catalog.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Mint());

        using var response = await client.PostAsJsonAsync("/api/catalog/products", NewProduct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AGenuineTokenThatNamesNoBusinessMayNotWrite()
    {
        var before = await ProductCountAsync();

        using var response = await CreateWithAsync(Mint(businessId: null));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await ProductCountAsync());
    }

    [Fact]
    public async Task UpdatesAndDeletesWithAForgedTokenAreRefusedToo()
    {
        using var client = catalog.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", Mint(key: Hive.Testing.TestTokenIssuer.NewKey()));

        using var update = await client.PutAsJsonAsync("/api/catalog/products/4", new { price = 1 });
        using var delete = await client.DeleteAsync("/api/catalog/products/5");

        Assert.Equal(HttpStatusCode.Unauthorized, update.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.NotEqual(1m, await catalog.ScalarAsync<decimal>("SELECT price FROM products WHERE id = 4"));
        Assert.Equal("active", await catalog.ScalarAsync<string>("SELECT status FROM products WHERE id = 5"));
    }

    private async Task AssertRefusedAsync(string token)
    {
        var before = await ProductCountAsync();

        using var response = await CreateWithAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await ProductCountAsync());
    }

    private async Task<HttpResponseMessage> CreateWithAsync(string token)
    {
        using var client = catalog.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.PostAsJsonAsync("/api/catalog/products", NewProduct);
    }

    private Task<long> ProductCountAsync() => catalog.ScalarAsync<long>("SELECT count(*) FROM products");

    private string Mint(
        SecurityKey? key = null,
        string? issuer = null,
        string audience = Hive.Testing.TestTokenIssuer.Audience,
        long? businessId = CatalogFixture.BusinessA,
        DateTime? notBefore = null,
        DateTime? expires = null)
    {
        var from = notBefore ?? DateTime.UtcNow.AddSeconds(-5);
        var claims = new Dictionary<string, object>();
        if (businessId is { } id)
        {
            claims["business_id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return catalog.Tokens.Mint(
            $"seller-{businessId}",
            businessId is null ? [] : ["seller"],
            claims,
            lifetime: (expires ?? from.AddMinutes(10)) - from,
            notBefore: from,
            audience: audience,
            issuer: issuer,
            key: key);
    }

    private static ClaimsIdentity Claims(long? businessId)
    {
        var identity = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, $"seller-{businessId}")]);
        if (businessId is { } id)
        {
            identity.AddClaim(new Claim("business_id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            identity.AddClaim(new Claim("role", "seller"));
        }

        return identity;
    }
}
