using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Catalog.Api.Tests;

[Collection(CatalogCollection.Name)]
public sealed class ProductWriteTests(CatalogFixture catalog)
{
    [Fact]
    public async Task AnUpdateIsSeenByIdSlugListsFeaturedAndBusinessProductsAtOnce()
    {
        using var reader = catalog.Factory.CreateClient();
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessA);
        const long id = 14; // business A, featured, active
        string[] views =
        [
            $"/api/catalog/products/{id}", "/api/catalog/products/by-slug/kikoi-wrap-14", "/api/catalog/products?pageSize=100",
            "/api/catalog/products/featured", "/api/catalog/businesses/1/products?pageSize=100",
        ];
        foreach (var view in views)
        {
            Assert.Contains("Kikoi wrap 14", await reader.GetStringAsync(view), StringComparison.Ordinal);
        }

        using var update = await seller.PutAsJsonAsync($"/api/catalog/products/{id}", new { name = "Kikoi wrap deluxe" });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        foreach (var view in views)
        {
            var body = await reader.GetStringAsync(view);
            Assert.Contains("Kikoi wrap deluxe", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Kikoi wrap 14\"", body, StringComparison.Ordinal);
        }

        var versionInOutbox = await catalog.ScalarAsync<long>(
            "SELECT (payload->>'version')::bigint FROM outbox_messages WHERE aggregate_id = $1 ORDER BY id DESC LIMIT 1", id);
        Assert.Equal(await catalog.ScalarAsync<long>("SELECT version FROM products WHERE id = $1", id), versionInOutbox);
    }

    [Fact]
    public async Task AnotherBusinessesProductIsNotFoundAndUnchanged()
    {
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessB);

        using var response = await seller.PutAsJsonAsync("/api/catalog/products/1", new { price = 1 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual(1m, await catalog.ScalarAsync<decimal>("SELECT price FROM products WHERE id = 1"));
    }

    [Fact]
    public async Task WritesWithoutATokenAreRefused()
    {
        using var client = catalog.Factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/catalog/products", new { name = "x", price = 1, categoryId = 1 });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task IdBusinessAndTimestampsInABodyAreIgnored()
    {
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessB);

        using var response = await seller.PostAsJsonAsync("/api/catalog/products", new
        {
            id = 5, businessId = 1, createdAt = "2001-01-01T00:00:00Z", name = "Infinix Hot 40", price = 15999.00m, categoryId = 1, stock = 3,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(5, created.GetProperty("id").GetInt64());
        Assert.Equal(CatalogFixture.BusinessB, created.GetProperty("businessId").GetInt64());
        Assert.True(created.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.StartsWith("infinix-hot-40-", created.GetProperty("slug").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\":\"\",\"price\":1,\"categoryId\":1}", "name")]
    [InlineData("{\"name\":\"x\",\"price\":-1,\"categoryId\":1}", "price")]
    [InlineData("{\"name\":\"x\",\"price\":1,\"categoryId\":999}", "categoryId")]
    [InlineData("{\"name\":\"x\",\"price\":1,\"categoryId\":1,\"slug\":\"Not A Slug\"}", "slug")]
    [InlineData("{\"name\":\"x\",\"price\":1,\"categoryId\":1,\"slug\":\"kikoi-wrap-1\"}", "slug")]
    [InlineData("{\"name\":\"x\",\"price\":1,\"categoryId\":1,\"status\":\"gone\"}", "status")]
    [InlineData("this is not json", "")]
    [InlineData("{\"name\":\"x\",\"price\":\"cheap\",\"categoryId\":1}", "price")]
    public async Task ABadBodyIsA400ProblemAndNothingIsWritten(string body, string field)
    {
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessA);
        var before = await catalog.ScalarAsync<long>("SELECT count(*) FROM products");
        var outboxBefore = await catalog.ScalarAsync<long>("SELECT count(*) FROM outbox_messages");

        using var response = await seller.PostAsync("/api/catalog/products", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await catalog.ScalarAsync<long>("SELECT count(*) FROM products"));
        Assert.Equal(outboxBefore, await catalog.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task DeletingArchivesTheProductAndDropsItFromLists()
    {
        using var reader = catalog.Factory.CreateClient();
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessA);
        Assert.Contains("\"id\":22,", await reader.GetStringAsync("/api/catalog/businesses/1/products?pageSize=100"), StringComparison.Ordinal);

        using var response = await seller.DeleteAsync("/api/catalog/products/22");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.DoesNotContain("\"id\":22,", await reader.GetStringAsync("/api/catalog/businesses/1/products?pageSize=100"), StringComparison.Ordinal);
        // Archived is private: the public read is a 404, its seller still sees it.
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/catalog/products/22")).StatusCode);
        var product = await seller.GetFromJsonAsync<JsonElement>("/api/catalog/seller/products/22");
        Assert.Equal("archived", product.GetProperty("status").GetString());
    }
}
