using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>
/// Who a token makes its caller: a seller acts for the one positive business its token names, and a role is
/// held if any of the token's roles is it. Mutation testing found each of these rules unpinned.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class CallerRuleTests(CatalogFixture catalog)
{
    [Theory]
    [InlineData(new[] { "seller" }, null)]
    [InlineData(new[] { "seller" }, "0")]
    [InlineData(new[] { "seller" }, "-2")]
    [InlineData(new[] { "seller" }, "two")]
    [InlineData(new[] { "buyer" }, "2")]
    public async Task OnlyASellerRoleWithAPositiveBusinessMayCreateAProduct(string[] roles, string? businessId)
    {
        var claims = businessId is null ? null : new Dictionary<string, object> { ["business_id"] = businessId };
        using var client = TestTokens.ClientWith(catalog, catalog.Tokens.Mint("caller-" + Guid.NewGuid().ToString("N")[..8], roles, claims));

        using var response = await client.PostAsJsonAsync("/api/catalog/products", new { name = "Kiondo", price = 800m, categoryId = 1 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ARoleIsHeldWhicheverOfTheTokensRolesItIs()
    {
        using var sellerAndBuyer = TestTokens.ClientWith(
            catalog,
            catalog.Tokens.Mint("both-" + Guid.NewGuid().ToString("N")[..8], ["buyer", "seller"], new Dictionary<string, object> { ["business_id"] = "2" }));
        using var adminAndBuyer = TestTokens.ClientWith(catalog, catalog.Tokens.Mint("staff-" + Guid.NewGuid().ToString("N")[..8], ["buyer", "admin"]));

        using var created = await sellerAndBuyer.PostAsJsonAsync("/api/catalog/products", new { name = "Kiondo " + Guid.NewGuid().ToString("N")[..6], price = 800m, categoryId = 1 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var featured = await adminAndBuyer.PutAsJsonAsync($"/api/catalog/products/{id}/featured", new { featured = true });

        Assert.Equal(HttpStatusCode.OK, featured.StatusCode);
    }

    [Theory]
    [InlineData("price", true)]
    [InlineData("price_asc", true)]
    [InlineData("price-asc", true)]
    [InlineData("price_desc", false)]
    [InlineData("price-desc", false)]
    public async Task EverySpellingOfASortOrdersByPrice(string sort, bool ascending)
    {
        using var client = catalog.Factory.CreateClient();

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/catalog/products?sort={sort}&pageSize=20");

        var prices = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("price").GetDecimal()).ToList();
        Assert.True(prices.Count > 5);
        Assert.Equal(ascending ? prices.Order() : prices.OrderDescending(), prices);
        Assert.NotEqual(prices.Order(), prices.OrderDescending());
    }

    [Theory]
    [InlineData("")]
    [InlineData("newest")]
    public async Task NoSortOrNewestListsTheNewestFirst(string sort)
    {
        using var client = catalog.Factory.CreateClient();

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/catalog/products?sort={sort}&pageSize=20");

        var created = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(created.OrderDescending(), created);
    }
}
