using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>What is public is only what is published: drafts and archived products exist only for their seller.</summary>
[Collection(CatalogCollection.Name)]
public sealed class PublicVisibilityTests(CatalogFixture catalog)
{
    // Product 10 of the fixture is a draft of business A.
    [Theory]
    [InlineData("/api/catalog/products/10")]
    [InlineData("/api/catalog/products/by-slug/kikoi-wrap-10")]
    [InlineData("/api/catalog/products/10/related")]
    public async Task ADraftIsNotFoundByAnonymousReaders(string path)
    {
        using var client = catalog.Factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnArchivedProductIsNotFoundByAnonymousReaders()
    {
        var archived = await catalog.CreateProductAsync(stock: 3, status: "archived");
        using var client = catalog.Factory.CreateClient();

        using var response = await client.GetAsync($"/api/catalog/products/{archived}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("archived")]
    [InlineData("out_of_stock")]
    public async Task ThePublicListRefusesToListUnpublishedProducts(string status)
    {
        using var client = catalog.Factory.CreateClient();

        using var response = await client.GetAsync($"/api/catalog/products?status={status}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("status", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOwningSellerSeesItsDraftsThroughItsOwnEndpoints()
    {
        using var owner = TestTokens.Seller(catalog.Factory, CatalogFixture.BusinessA);
        using var otherSeller = TestTokens.Seller(catalog.Factory, CatalogFixture.BusinessB);
        using var anonymous = catalog.Factory.CreateClient();

        var drafts = await owner.GetFromJsonAsync<JsonElement>("/api/catalog/seller/products?status=draft&pageSize=100");
        var all = await owner.GetFromJsonAsync<JsonElement>("/api/catalog/seller/products?pageSize=100");
        using var ownDraft = await owner.GetAsync("/api/catalog/seller/products/10");
        using var someoneElses = await otherSeller.GetAsync("/api/catalog/seller/products/10");
        using var withoutToken = await anonymous.GetAsync("/api/catalog/seller/products");

        var draftIds = drafts.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(10L, draftIds);
        Assert.All(drafts.GetProperty("items").EnumerateArray(), p => Assert.Equal("draft", p.GetProperty("status").GetString()));
        Assert.All(all.GetProperty("items").EnumerateArray(), p => Assert.Equal(CatalogFixture.BusinessA, p.GetProperty("businessId").GetInt64()));
        Assert.Contains(all.GetProperty("items").EnumerateArray(), p => p.GetProperty("status").GetString() == "active");
        Assert.Equal(HttpStatusCode.OK, ownDraft.StatusCode);
        Assert.Equal("draft", (await ownDraft.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, someoneElses.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
    }

    [Fact]
    public async Task OnlyAnAdminCanFeatureAProduct()
    {
        using var seller = TestTokens.Seller(catalog.Factory, CatalogFixture.BusinessA);
        using var admin = TestTokens.Admin(catalog.Factory);

        using var created = await seller.PostAsJsonAsync("/api/catalog/products", new { name = "Sisal basket", price = 900, categoryId = 3, stock = 4, featured = true });
        var product = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = product.GetProperty("id").GetInt64();
        using var sellerUpdate = await seller.PutAsJsonAsync($"/api/catalog/products/{id}", new { featured = true });
        using var sellerFeature = await seller.PutAsJsonAsync($"/api/catalog/products/{id}/featured", new { featured = true });
        var afterSeller = await catalog.ScalarAsync<bool>("SELECT featured FROM products WHERE id = $1", id);
        using var adminFeature = await admin.PutAsJsonAsync($"/api/catalog/products/{id}/featured", new { featured = true });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(product.GetProperty("featured").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, sellerUpdate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sellerFeature.StatusCode);
        Assert.False(afterSeller);
        Assert.Equal(HttpStatusCode.OK, adminFeature.StatusCode);
        Assert.True(await catalog.ScalarAsync<bool>("SELECT featured FROM products WHERE id = $1", id));
    }
}
