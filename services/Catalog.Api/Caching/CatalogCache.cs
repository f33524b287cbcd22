using System.Text.Json;
using Catalog.Api.Analytics;
using Catalog.Api.Data;
using Catalog.Api.Model;
using Hive.Caching;
using Hive.Contracts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Caching;

/// <summary>
/// The catalog's reads through the cache. Every entry carries tags naming what it holds, so a product
/// change drops exactly the seed's set: <c>product:{id}</c>, its slug entry, every list query, featured,
/// trending and <c>business:{id}:products</c>. Entries hold the answer ready to send (<see cref="CachedJson{T}"/>):
/// serialized with the HTTP JSON options and tagged once, when they are filled.
/// </summary>
public sealed class CatalogCache(
    IHiveCache cache,
    ProductQueries queries,
    ProductVersionLedger versions,
    TrendingFromBoards trending,
    TimeProvider clock,
    IOptions<JsonOptions> json)
{
    private static readonly CacheLifetime TrendingLifetime = TimeSpan.FromSeconds(15);

    private const string ProductEntity = "product";
    private const string SlugEntity = "product-slug";
    private const string ListEntity = "products-list";
    private const string FeaturedEntity = "featured";
    private const string TrendingEntity = "trending";
    private const string RelatedEntity = "related";
    private const string BusinessProductsEntity = "business-products";
    private const string CategoriesEntity = "categories";

    private CacheKeyBuilder Keys => cache.Keys;

    /// <summary>The options answers are serialized with; also what reads a value back from an entry's bytes.</summary>
    public JsonSerializerOptions JsonOptions => json.Value.SerializerOptions;

    private CachedJson<T> Ready<T>(T value) => CachedJson<T>.Create(value, JsonOptions);

    private CachedJson<T>? ReadyOrNull<T>(T? value)
        where T : class
        => value is null ? null : Ready(value);

    /// <summary>One product; an unknown id is a brief negative entry that the product's creation drops (same tag).</summary>
    public ValueTask<CachedJson<ProductDetail>?> ProductAsync(long id, CancellationToken cancellationToken)
        => cache.GetOrSetAsync(
            Keys.For(ProductEntity, id),
            async (entry, ct) => ReadyOrNull(NotFoundIsBrief(entry, await LoadCurrentAsync(() => queries.GetByIdAsync(id, ct), ct))),
            CacheDuration.Long,
            [Keys.Tag(ProductEntity, id)],
            cancellationToken);

    /// <summary>
    /// The slug entry holds the product itself (one round trip), tagged with the product's id so an update
    /// drops it, and with the slug so a product created under a slug that was looked up before drops the
    /// brief "not found" entry.
    /// </summary>
    public ValueTask<CachedJson<ProductDetail>?> ProductBySlugAsync(string slug, CancellationToken cancellationToken)
        => cache.GetOrSetAsync(
            Keys.For(SlugEntity, slug),
            async (entry, ct) =>
            {
                var product = await LoadCurrentAsync(() => queries.GetBySlugAsync(slug, ct), ct);
                if (product is not null)
                {
                    entry.AddTag(Keys.Tag(ProductEntity, product.Id));
                }

                return ReadyOrNull(NotFoundIsBrief(entry, product));
            },
            CacheDuration.Long,
            [Keys.Tag(SlugEntity, slug)],
            cancellationToken);

    private static ProductDetail? NotFoundIsBrief(CacheEntryContext entry, ProductDetail? product)
    {
        if (product is null)
        {
            entry.MarkNotFound();
        }

        return product;
    }

    public ValueTask<CachedJson<ProductPage>> ListAsync(ProductListQuery query, byte[] cursorKey, CancellationToken cancellationToken)
    {
        CacheTag[] tags = query.BusinessId is { } businessId
            ? [Keys.Tag(ListEntity), Keys.Tag(BusinessProductsEntity, businessId)]
            : [Keys.Tag(ListEntity)];
        return cache.GetOrSetAsync(
            Keys.For(ListEntity, query.CacheId),
            async ct => Ready(await queries.ListAsync(query, cursorKey, ct)),
            CacheDuration.Medium,
            tags,
            cancellationToken);
    }

    public ValueTask<CachedJson<IReadOnlyList<ProductCard>>> FeaturedAsync(int limit, CancellationToken cancellationToken)
        => cache.GetOrSetAsync(
            Keys.For(FeaturedEntity, limit),
            async ct => Ready(await queries.FeaturedAsync(limit, ct)),
            CacheDuration.Medium,
            [Keys.Tag(FeaturedEntity)],
            cancellationToken);

    /// <summary>
    /// From the metrics service's boards (Postgres only when they are empty or away), cached briefly so a
    /// product that sells now climbs within the minute.
    /// </summary>
    public ValueTask<CachedJson<IReadOnlyList<TrendingProduct>>> TrendingAsync(TrendingWindow window, int limit, CancellationToken cancellationToken)
        => cache.GetOrSetAsync(
            Keys.For(TrendingEntity, $"{window}-{limit}"),
            async ct => Ready(await trending.ReadAsync(window, limit, ct) ?? await queries.TrendingAsync(clock.GetUtcNow() - window.Span(), limit, ct)),
            TrendingLifetime,
            [Keys.Tag(TrendingEntity)],
            cancellationToken);

    public ValueTask<CachedJson<IReadOnlyList<ProductCard>>?> RelatedAsync(long productId, int limit, CancellationToken cancellationToken)
        => cache.GetOrSetAsync(
            Keys.For(RelatedEntity, $"{productId}-{limit}"),
            async ct => ReadyOrNull(await queries.RelatedAsync(productId, limit, ct)),
            CacheDuration.Medium,
            // Related lists change when any product changes (it may join or leave a category): list tag.
            [Keys.Tag(ProductEntity, productId), Keys.Tag(ListEntity)],
            cancellationToken);

    public ValueTask<CachedJson<IReadOnlyList<CategoryCount>>> CategoriesAsync(CancellationToken cancellationToken)
        => cache.GetOrSetAsync(
            Keys.For(CategoriesEntity, "all"),
            async ct => Ready(await queries.CategoriesAsync(ct)),
            CacheDuration.Medium,
            [Keys.Tag(CategoriesEntity)],
            cancellationToken);

    /// <summary>
    /// A read that started before an update committed can finish after the update's eviction and would
    /// put the old version back. The version ledger knows the newest version evicted for; an older row
    /// is read again (by then the update is committed) rather than cached.
    /// </summary>
    private async Task<ProductDetail?> LoadCurrentAsync(Func<Task<ProductDetail?>> load, CancellationToken cancellationToken)
    {
        var product = await load();
        if (product is not null && product.Version < await versions.FloorAsync(product.Id, cancellationToken))
        {
            product = await load();
        }

        return product;
    }

    /// <summary>Drops everything the catalog holds about the product. Idempotent: a second call finds nothing.</summary>
    /// <remarks>Slug entries carry the product's tag, so an old slug goes with the product's own entry.</remarks>
    public async ValueTask InvalidateProductAsync(ProductChanged change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        List<CacheTag> tags =
        [
            Keys.Tag(ProductEntity, change.ProductId),
            Keys.Tag(ListEntity),
            Keys.Tag(FeaturedEntity),
            Keys.Tag(TrendingEntity),
            Keys.Tag(BusinessProductsEntity, change.BusinessId),
        ];
        if (!string.IsNullOrEmpty(change.Slug))
        {
            // A "not found" cached for this slug before the product existed (or got it) must not outlive it.
            tags.Add(Keys.Tag(SlugEntity, change.Slug));
        }

        // Side by side, not one after the other: six Redis round trips in a row made catalog, the only
        // service with this many tags per event, fall seconds behind at 100 updates/s (bench/RESULTS.md).
        await Task.WhenAll(tags.Select(tag => cache.InvalidateTagAsync(tag, cancellationToken).AsTask()));
    }
}

public enum TrendingWindow
{
    Hour,
    Day,
    Week,
}

public static class TrendingWindowExtensions
{
    public static TimeSpan Span(this TrendingWindow window) => window switch
    {
        TrendingWindow.Hour => TimeSpan.FromHours(1),
        TrendingWindow.Day => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(7),
    };
}
