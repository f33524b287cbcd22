using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hive.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests;

/// <summary>
/// Every cacheable GET of the catalog answers a client that holds the current ETag with a bodiless 304,
/// and one that holds an older ETag, after the data changed, with the new body under a new ETag. A
/// constant ETag would pass the first half and fail the second: clients would keep stale data forever.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class ConditionalGetTests(CatalogFixture catalog)
{
    public static TheoryData<string, long> ViewsAndAProductTheyShow => new()
    {
        // Each row renames its own product so the rows do not disturb each other or other tests.
        { "/api/catalog/products/25", 25 },
        { "/api/catalog/products/by-slug/kikoi-wrap-26", 26 },
        { "/api/catalog/products?category=3&pageSize=100", 29 },
        { "/api/catalog/products/featured?limit=50", 28 },
        { "/api/catalog/products/trending?window=day&limit=50", 2 },
        { "/api/catalog/products/31/related?limit=50", 32 },
        { "/api/catalog/businesses/1/products?pageSize=100", 34 },
    };

    [Theory]
    [MemberData(nameof(ViewsAndAProductTheyShow))]
    public async Task AHeldETagGivesA304UntilTheProductChangesThenTheNewBodyWithANewETag(string view, long productId)
    {
        using var reader = catalog.Factory.CreateClient();
        using var first = await reader.GetAsync(view);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.StartsWith("public, max-age=", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Contains($"\"id\":{productId},", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using (var unchanged = await ConditionalGetAsync(reader, view, etag))
        {
            Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
            Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, unchanged.Headers.ETag);
        }

        var newName = $"Renamed product {productId}";
        using var seller = await catalog.SellerClientAsync(productId % 3 == 0 ? CatalogFixture.BusinessB : CatalogFixture.BusinessA);
        using (var update = await seller.PutAsJsonAsync($"/api/catalog/products/{productId}", new { name = newName }))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        using var changed = await ConditionalGetAsync(reader, view, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains(newName, await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(changed.Headers.ETag);
        Assert.NotEqual(etag, changed.Headers.ETag);

        using var again = await ConditionalGetAsync(reader, view, changed.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task CategoriesGiveA304UntilTheirCountsChangeThenANewETag()
    {
        using var reader = catalog.Factory.CreateClient();
        using var first = await reader.GetAsync("/api/catalog/categories");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using (var unchanged = await ConditionalGetAsync(reader, "/api/catalog/categories", etag))
        {
            Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        }

        // Counts come from a materialized view that the metrics service refreshes; refresh it here and
        // drop the catalog's cached counts as that refresh does.
        await catalog.ScalarAsync<long>(
            """
            INSERT INTO products (business_id, category_id, name, slug, description, price, stock, status)
            VALUES (2, 5, 'Etag counts probe', 'etag-counts-probe', '', 10, 1, 'active') RETURNING id
            """);
        await catalog.ScalarAsync<long>("REFRESH MATERIALIZED VIEW mv_category_counts");
        var cache = catalog.Factory.Services.GetRequiredService<IHiveCache>();
        await cache.InvalidateTagAsync(cache.Keys.Tag("categories"));

        using var changed = await ConditionalGetAsync(reader, "/api/catalog/categories", etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    private static async Task<HttpResponseMessage> ConditionalGetAsync(HttpClient client, string path, EntityTagHeaderValue? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(etag!);
        return await client.SendAsync(request);
    }
}
