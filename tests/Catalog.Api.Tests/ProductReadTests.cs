using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Catalog.Api.Tests;

[Collection(CatalogCollection.Name)]
public sealed class ProductReadTests(CatalogFixture catalog)
{
    [Fact]
    public async Task AProductReadByIdAndBySlugIsTheSameProduct()
    {
        using var client = catalog.Factory.CreateClient();

        var byId = await client.GetFromJsonAsync<JsonElement>("/api/catalog/products/4");
        var bySlug = await client.GetFromJsonAsync<JsonElement>("/api/catalog/products/by-slug/kikoi-wrap-4");

        Assert.Equal("Kikoi wrap 4", byId.GetProperty("name").GetString());
        Assert.Equal(byId.GetRawText(), bySlug.GetRawText());
        Assert.Equal("/images/p/4/1.jpg", byId.GetProperty("images")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task CachedAndUncachedAnswersAreIdentical()
    {
        using var client = catalog.Factory.CreateClient();
        foreach (var path in new[]
        {
            "/api/catalog/products/5", "/api/catalog/products?category=3&sort=price", "/api/catalog/products/featured",
            "/api/catalog/products/trending?window=day", "/api/catalog/products/5/related", "/api/catalog/businesses/2/products",
            "/api/catalog/categories",
        })
        {
            var cold = await client.GetStringAsync(path);
            var warm = await client.GetStringAsync(path);
            Assert.Equal(cold, warm);
        }
    }

    [Fact]
    public async Task AnETagAnswersIfNoneMatchWithNotModified()
    {
        using var client = catalog.Factory.CreateClient();
        using var first = await client.GetAsync("/api/catalog/products/7");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Contains("max-age", first.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products/7");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task KeysetPagesWalkEveryActiveProductOnceInOrder()
    {
        using var client = catalog.Factory.CreateClient();
        var seen = new List<(decimal Price, long Id)>();
        string? cursor = null;
        do
        {
            var url = "/api/catalog/products?sort=price&pageSize=7" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await client.GetFromJsonAsync<JsonElement>(url);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => (p.GetProperty("price").GetDecimal(), p.GetProperty("id").GetInt64())));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        var active = await catalog.ScalarAsync<long>("SELECT count(*) FROM products WHERE status = 'active'");
        Assert.Equal(active, seen.Count);
        Assert.Equal(seen.Count, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(seen.OrderBy(s => s.Price).ThenBy(s => s.Id).ToList(), seen);
    }

    [Fact]
    public async Task FiltersKeepToTheirCategoryBusinessAndPriceRange()
    {
        using var client = catalog.Factory.CreateClient();
        var page = await client.GetFromJsonAsync<JsonElement>("/api/catalog/products?category=2&business=2&minPrice=200&maxPrice=700&pageSize=100");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, p =>
        {
            Assert.Equal(2, p.GetProperty("categoryId").GetInt32());
            Assert.Equal(2, p.GetProperty("businessId").GetInt64());
            Assert.InRange(p.GetProperty("price").GetDecimal(), 200m, 700m);
            Assert.Equal("active", p.GetProperty("status").GetString());
        });
    }

    [Fact]
    public async Task CategoriesComeWithTheirActiveProductCounts()
    {
        using var client = catalog.Factory.CreateClient();
        var categories = await client.GetFromJsonAsync<JsonElement>("/api/catalog/categories");

        var fashion = categories.EnumerateArray().Single(c => c.GetProperty("slug").GetString() == "fashion");
        // Served from the materialized view (the metrics service refreshes it), not counted per request.
        var expected = await catalog.ScalarAsync<long>("SELECT active_product_count FROM mv_category_counts WHERE category_id = 3");
        Assert.Equal(expected, fashion.GetProperty("productCount").GetInt64());
    }

    [Fact]
    public async Task RelatedProductsShareTheCategoryOrBusinessAndExcludeTheProduct()
    {
        using var client = catalog.Factory.CreateClient();
        var related = await client.GetFromJsonAsync<JsonElement>("/api/catalog/products/3/related?limit=10");

        var items = related.EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.DoesNotContain(items, p => p.GetProperty("id").GetInt64() == 3);
        Assert.All(items, p => Assert.True(p.GetProperty("categoryId").GetInt32() == 2 || p.GetProperty("businessId").GetInt64() == 2));
    }

    [Fact]
    public async Task TrendingRanksByRecentActivity()
    {
        using var client = catalog.Factory.CreateClient();
        var trending = await client.GetFromJsonAsync<JsonElement>("/api/catalog/products/trending?window=hour&limit=5");

        var scores = trending.EnumerateArray().Select(t => t.GetProperty("score").GetInt64()).ToList();
        Assert.NotEmpty(scores);
        Assert.Equal(scores.OrderDescending().ToList(), scores);
    }

    [Theory]
    [InlineData("/api/catalog/products?minPrice=500&maxPrice=100", "minPrice")]
    [InlineData("/api/catalog/products?sort=cheapest", "sort")]
    [InlineData("/api/catalog/products?pageSize=101", "pageSize")]
    [InlineData("/api/catalog/products?status=deleted", "status")]
    [InlineData("/api/catalog/products?cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("/api/catalog/products?cursor=%%%", "cursor")]
    [InlineData("/api/catalog/products?minPrice=abc", "minPrice")]
    [InlineData("/api/catalog/products/by-slug/Bad%20Slug%3A*", "slug")]
    [InlineData("/api/catalog/products/featured?limit=0", "limit")]
    [InlineData("/api/catalog/products/trending?window=year", "window")]
    public async Task BadParametersAreA400ProblemNamingTheField(string path, string field)
    {
        using var client = catalog.Factory.CreateClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(field, body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ACursorIssuedForAnotherSortIsRefused()
    {
        using var client = catalog.Factory.CreateClient();
        var page = await client.GetFromJsonAsync<JsonElement>("/api/catalog/products?sort=newest&pageSize=5");
        var cursor = page.GetProperty("nextCursor").GetString()!;

        using var response = await client.GetAsync("/api/catalog/products?sort=price&cursor=" + Uri.EscapeDataString(cursor));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownProductIsA404Problem()
    {
        using var client = catalog.Factory.CreateClient();
        using var response = await client.GetAsync("/api/catalog/products/999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/problem+json").MediaType, response.Content.Headers.ContentType?.MediaType);
    }
}
