using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Catalog.Api.Caching;
using Hive.Caching;
using Hive.Contracts;
using Hive.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests;

/// <summary>
/// A read that queried before a product's write committed must not put the old data back after the
/// write's eviction, in any view that can hold the product. A second catalog replica holds its fill
/// between the query and the cache write while the write and its eviction happen on the first.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class CacheRaceTests(CatalogFixture catalog)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A product id of 0: the test makes a product of its own. It is the newest, so it heads the first page of a
    /// list however many products other tests in the collection made before (a seeded product fell off the
    /// newest 100 once enough had been made).
    /// </summary>
    public static TheoryData<string, string, long> Views => new()
    {
        { "product", "/api/catalog/products/1", 1 },
        { "product-slug", "/api/catalog/products/by-slug/kikoi-wrap-2", 2 },
        { "products-list", "/api/catalog/products?pageSize=100", 0 },
        { "products-list", "/api/catalog/businesses/1/products?pageSize=100", 0 },
        { "featured", "/api/catalog/products/featured", 7 },
        { "trending", "/api/catalog/products/trending?window=day", 8 },
        { "related", "/api/catalog/products/12/related", 57 },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task AReadHeldAcrossAWriteAndItsEvictionDoesNotCacheTheOldProduct(string entity, string url, long productId)
    {
        var hold = new EntityHold(entity);
        await using var replica = catalog.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ICacheFillObserver>(hold)));
        using var client = replica.CreateClient();
        var writer = catalog.Factory.Services.GetRequiredService<CatalogCache>();
        if (productId == 0)
        {
            productId = await catalog.CreateProductAsync(stock: 5, businessId: CatalogFixture.BusinessA, categoryId: 3);
        }

        var price = 500 + productId + (Random.Shared.Next(1, 99) / 100m);
        await EvictAsync(writer, productId);

        var read = client.GetStringAsync(url);
        await hold.Reached.WaitAsync(Deadline);

        // The write commits and is evicted (on the other replica) while the read holds the old row.
        await catalog.ScalarAsync<long>("UPDATE products SET price = $1, version = version + 1 WHERE id = $2 RETURNING version", price, productId);
        await EvictAsync(writer, productId);
        hold.Release();
        var old = await read.WaitAsync(Deadline);
        Assert.DoesNotContain(Text(price), old, StringComparison.Ordinal);

        // Nobody is served the old row from the cache afterwards: neither this replica nor the other.
        Assert.Contains(Text(price), await client.GetStringAsync(url), StringComparison.Ordinal);
        using var other = catalog.Factory.CreateClient();
        Assert.Contains(Text(price), await other.GetStringAsync(url), StringComparison.Ordinal);
    }

    /// <summary>
    /// The catalog's own guard against the same race, inside the fill: a row older than the newest version
    /// the catalog evicted for was read before the write committed, so it is read again (by then the write
    /// is committed); a current row is read once. Counted as the database commands in the request's trace:
    /// two for one read of a product (its row, its images).
    /// </summary>
    [Fact]
    public async Task ARowOlderThanTheNewestEvictedVersionIsReadAgainACurrentOneOnce()
    {
        var id = await catalog.CreateProductAsync(stock: 3, categoryId: 1);
        var version = await catalog.ScalarAsync<long>("SELECT version FROM products WHERE id = $1", id);
        var ledger = catalog.Factory.Services.GetRequiredService<ProductVersionLedger>();
        var cache = catalog.Factory.Services.GetRequiredService<CatalogCache>();
        using var client = catalog.Factory.CreateClient();

        // The newest eviction was for the version in the row: the row is current.
        Assert.True(await ledger.AdvanceAsync(id, version, CancellationToken.None));
        await EvictAsync(cache, id);
        Assert.Equal(2, await DatabaseCommandsOfAColdReadAsync(client, id, version));

        // An eviction for a newer version than the row's: the row was read before that write committed.
        Assert.True(await ledger.AdvanceAsync(id, version + 1, CancellationToken.None));
        await EvictAsync(cache, id);
        Assert.Equal(4, await DatabaseCommandsOfAColdReadAsync(client, id, version));
    }

    private static async Task<int> DatabaseCommandsOfAColdReadAsync(HttpClient client, long id, long version)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var commands = 0;
        // Counted as they start: Npgsql does not always stop the span of a command whose reader was closed
        // before the next command on the connection.
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity =>
            {
                if (activity.TraceId == traceId && activity.Source.Name == "Npgsql" && !activity.DisplayName.StartsWith("CONNECT", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref commands);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/catalog/products/{id}");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt64());
        return Volatile.Read(ref commands);
    }

    [Fact]
    public async Task AHundredConcurrentColdReadsBySlugRunOneQuery()
    {
        await EvictAsync(catalog.Factory.Services.GetRequiredService<CatalogCache>(), 14);
        using var client = catalog.Factory.CreateClient();
        var counter = catalog.Factory.Services.GetRequiredService<IHiveCache>();
        var before = counter.GetStatistics().FactoryCalls;

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetAsync("/api/catalog/products/by-slug/kikoi-wrap-14")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, counter.GetStatistics().FactoryCalls - before);
    }

    [Fact]
    public async Task ANotFoundIsCachedBrieflyAndDroppedWhenTheProductIsCreated()
    {
        using var client = catalog.Factory.CreateClient();
        var cache = catalog.Factory.Services.GetRequiredService<IHiveCache>();
        var slug = "kiondo-" + Guid.NewGuid().ToString("N")[..8];
        var before = cache.GetStatistics().FactoryCalls;

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/catalog/products/by-slug/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/catalog/products/by-slug/{slug}")).StatusCode);
        Assert.Equal(1, cache.GetStatistics().FactoryCalls - before);

        var id = await catalog.ScalarAsync<long>(
            "INSERT INTO products (business_id, category_id, name, slug, description, price, stock, status) VALUES (1, 3, 'Kiondo', $1, 'Basket', 900, 4, 'active') RETURNING id",
            slug);
        await catalog.Factory.Services.GetRequiredService<CatalogCache>().InvalidateProductAsync(
            new ProductChanged(id, 1, 3, slug, ProductChangeKind.Created, 1, DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/catalog/products/by-slug/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/catalog/products/{id}")).StatusCode);
    }

    [Fact]
    public async Task EquivalentListRequestsShareOneCacheEntry()
    {
        using var client = catalog.Factory.CreateClient();
        var cache = catalog.Factory.Services.GetRequiredService<IHiveCache>();
        var first = await client.GetStringAsync("/api/catalog/products?minPrice=123&maxPrice=900&pageSize=7");
        var before = cache.GetStatistics().FactoryCalls;

        var variants = new[]
        {
            "/api/catalog/products?minPrice=123.0&maxPrice=900.00&pageSize=7",
            "/api/catalog/products?maxPrice=900&minPrice=123.000&pageSize=7",
            "/api/catalog/products?minPrice=123&maxPrice=900&pageSize=7&utm_source=flood&x=1",
        };
        foreach (var variant in variants)
        {
            Assert.Equal(first, await client.GetStringAsync(variant));
        }

        Assert.Equal(0, cache.GetStatistics().FactoryCalls - before);
    }

    private static string Text(decimal price) => price.ToString("0.00", CultureInfo.InvariantCulture);

    private static Task EvictAsync(CatalogCache cache, long productId)
        => cache.InvalidateProductAsync(
            new ProductChanged(productId, 1, 3, string.Empty, ProductChangeKind.Updated, 1, DateTimeOffset.UtcNow), CancellationToken.None).AsTask();

    /// <summary>Holds the first fill of one cache entity between its query and its cache write.</summary>
    private sealed class EntityHold(string entity) : ICacheFillObserver
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _taken;

        public Task Reached => _reached.Task;

        public void Release() => _release.TrySetResult();

        public async ValueTask OnLoadedAsync(CacheKey key, CancellationToken cancellationToken)
        {
            if (key.Entity != entity || Interlocked.Exchange(ref _taken, 1) == 1)
            {
                return;
            }

            _reached.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }
    }
}
