using System.Net.Http.Headers;
using Hive.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests;

/// <summary>
/// The one place catalog tests get tokens: minted by the fixture's <see cref="TestTokenIssuer"/>, whose
/// discovery document and keys the catalog under test reads like the real identity service's. The
/// overloads taking a catalog instance find the issuer that instance was pointed at.
/// </summary>
public static class TestTokens
{
    public static string Seller(CatalogFixture catalog, long businessId) => catalog.Tokens.Seller(businessId);

    public static string Buyer(CatalogFixture catalog, string subject = "buyer-1") => catalog.Tokens.Buyer(subject);

    public static string Admin(CatalogFixture catalog) => catalog.Tokens.Admin();

    /// <summary>A client of the catalog under test that sends <paramref name="token"/> as its bearer token.</summary>
    public static HttpClient ClientWith(CatalogFixture catalog, string token) => With(catalog.Factory.CreateClient(), token);

    public static HttpClient SellerClient(CatalogFixture catalog, long businessId) => ClientWith(catalog, Seller(catalog, businessId));

    public static HttpClient BuyerClient(CatalogFixture catalog, string subject = "buyer-1") => ClientWith(catalog, Buyer(catalog, subject));

    /// <summary>A token with any roles from the issuer <paramref name="factory"/> trusts.</summary>
    public static string Mint(WebApplicationFactory<Program> factory, string subject, string[] roles, long? businessId = null)
    {
        var issuer = IssuerOf(factory);
        return businessId is { } id
            ? issuer.Mint(subject, roles, new Dictionary<string, object> { ["business_id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            : issuer.Mint(subject, roles);
    }

    public static HttpClient Buyer(WebApplicationFactory<Program> factory, string? buyerId = null)
        => With(factory.CreateClient(), IssuerOf(factory).Buyer(buyerId ?? "buyer-" + Guid.NewGuid().ToString("N")));

    public static HttpClient Seller(WebApplicationFactory<Program> factory, long businessId)
        => With(factory.CreateClient(), IssuerOf(factory).Seller(businessId));

    public static HttpClient Admin(WebApplicationFactory<Program> factory)
        => With(factory.CreateClient(), IssuerOf(factory).Admin());

    private static TestTokenIssuer IssuerOf(WebApplicationFactory<Program> factory)
        => TestTokenIssuer.ForAuthority(factory.Services.GetRequiredService<IConfiguration>()["Hive:Auth:Authority"]
            ?? throw new InvalidOperationException("The catalog under test names no token authority."));

    private static HttpClient With(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
