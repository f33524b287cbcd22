using System.Net.Http.Headers;
using Hive.Testing;

namespace Catalog.Api.Tests;

/// <summary>
/// The one place catalog tests get tokens: minted by the fixture's <see cref="TestTokenIssuer"/>, whose
/// discovery document and keys the catalog under test reads like the real identity service's.
/// </summary>
public static class TestTokens
{
    public static string Seller(CatalogFixture catalog, long businessId) => catalog.Tokens.Seller(businessId);

    public static string Buyer(CatalogFixture catalog, string subject = "buyer-1") => catalog.Tokens.Buyer(subject);

    public static string Admin(CatalogFixture catalog) => catalog.Tokens.Admin();

    /// <summary>A client of the catalog under test that sends <paramref name="token"/> as its bearer token.</summary>
    public static HttpClient ClientWith(CatalogFixture catalog, string token)
    {
        var client = catalog.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static HttpClient SellerClient(CatalogFixture catalog, long businessId) => ClientWith(catalog, Seller(catalog, businessId));

    public static HttpClient BuyerClient(CatalogFixture catalog, string subject = "buyer-1") => ClientWith(catalog, Buyer(catalog, subject));
}
