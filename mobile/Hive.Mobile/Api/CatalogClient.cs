using Hive.Mobile.Caching;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Http;
using Hive.Mobile.Models;

namespace Hive.Mobile.Api;

/// <summary>Filters of a product list; a null page size lets the SDK choose by connection quality.</summary>
public sealed record ProductQuery
{
    public int? Category { get; init; }

    public long? Business { get; init; }

    public decimal? MinPrice { get; init; }

    public decimal? MaxPrice { get; init; }

    /// <summary><c>newest</c> (default), <c>price</c> or <c>price_desc</c>.</summary>
    public string? Sort { get; init; }

    public int? PageSize { get; init; }

    public string? Cursor { get; init; }
}

/// <summary>
/// The catalog through the gateway. Every read is cached (memory, then disk) and deduplicated; the
/// <c>Watch</c> forms yield the cached answer first and the server's fresh one when it differs.
/// </summary>
public sealed class CatalogClient
{
    private static readonly int[] PageSizes = [20, 12, 8];

    private readonly ResponseCache _cache;
    private readonly ConnectivityTracker _connectivity;

    internal CatalogClient(ResponseCache cache, ConnectivityTracker connectivity)
    {
        _cache = cache;
        _connectivity = connectivity;
    }

    public Task<Fetched<IReadOnlyList<CategoryCount>>> CategoriesAsync(CancellationToken cancellationToken = default)
        => _cache.GetAsync(Categories(), HiveJsonContext.Default.IReadOnlyListCategoryCount, cancellationToken);

    public IAsyncEnumerable<Fetched<IReadOnlyList<CategoryCount>>> WatchCategoriesAsync(ReadMode mode = ReadMode.CacheFirst, CancellationToken cancellationToken = default)
        => _cache.WatchAsync(Categories(), HiveJsonContext.Default.IReadOnlyListCategoryCount, mode, cancellationToken);

    /// <summary>
    /// One page of products. Offline with the page size left to the SDK, a page cached under another
    /// connection's page size is shown rather than nothing.
    /// </summary>
    public async Task<Fetched<ProductPage>> ProductsAsync(ProductQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ProductQuery();
        try
        {
            return await _cache.GetAsync(List(query), HiveJsonContext.Default.ProductPage, cancellationToken);
        }
        catch (HiveOfflineException) when (query.PageSize is null)
        {
            foreach (var size in PageSizes.Where(s => s != DefaultPageSize))
            {
                try
                {
                    return await _cache.GetAsync(List(query with { PageSize = size }), HiveJsonContext.Default.ProductPage, cancellationToken);
                }
                catch (HiveOfflineException)
                {
                }
            }

            throw;
        }
    }

    public IAsyncEnumerable<Fetched<ProductPage>> WatchProductsAsync(ProductQuery? query = null, ReadMode mode = ReadMode.CacheFirst, CancellationToken cancellationToken = default)
        => _cache.WatchAsync(List(query ?? new ProductQuery()), HiveJsonContext.Default.ProductPage, mode, cancellationToken);

    public Task<Fetched<ProductDetail>> ProductAsync(long id, CancellationToken cancellationToken = default)
        => _cache.GetAsync(Product(id), HiveJsonContext.Default.ProductDetail, cancellationToken);

    public IAsyncEnumerable<Fetched<ProductDetail>> WatchProductAsync(long id, ReadMode mode = ReadMode.CacheFirst, CancellationToken cancellationToken = default)
        => _cache.WatchAsync(Product(id), HiveJsonContext.Default.ProductDetail, mode, cancellationToken);

    public Task<Fetched<ProductDetail>> ProductBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        return _cache.GetAsync(new CacheRequest($"api/catalog/products/by-slug/{Uri.EscapeDataString(slug)}", ResourceKind.Product), HiveJsonContext.Default.ProductDetail, cancellationToken);
    }

    public Task<Fetched<IReadOnlyList<ProductCard>>> FeaturedAsync(int? limit = null, CancellationToken cancellationToken = default)
        => _cache.GetAsync(
            new CacheRequest(new Query("api/catalog/products/featured").Add("limit", limit).ToString(), ResourceKind.ProductList),
            HiveJsonContext.Default.IReadOnlyListProductCard,
            cancellationToken);

    /// <summary><paramref name="window"/> is <c>hour</c>, <c>day</c> or <c>week</c>.</summary>
    public Task<Fetched<IReadOnlyList<TrendingProduct>>> TrendingAsync(string window = "day", int? limit = null, CancellationToken cancellationToken = default)
        => _cache.GetAsync(
            new CacheRequest(new Query("api/catalog/products/trending").Add("window", window).Add("limit", limit).ToString(), ResourceKind.ProductList),
            HiveJsonContext.Default.IReadOnlyListTrendingProduct,
            cancellationToken);

    public Task<Fetched<IReadOnlyList<ProductCard>>> RelatedAsync(long id, int? limit = null, CancellationToken cancellationToken = default)
        => _cache.GetAsync(
            new CacheRequest(new Query($"api/catalog/products/{id}/related").Add("limit", limit).ToString(), ResourceKind.ProductList),
            HiveJsonContext.Default.IReadOnlyListProductCard,
            cancellationToken);

    /// <summary>The page size the SDK asks for when the app leaves it open: fewer cards on a slow connection.</summary>
    public int DefaultPageSize => _connectivity.Quality switch
    {
        NetworkQuality.Poor => 8,
        NetworkQuality.Moderate => 12,
        _ => 20,
    };

    private static CacheRequest Categories() => new("api/catalog/categories", ResourceKind.Categories);

    private static CacheRequest Product(long id) => new($"api/catalog/products/{id}", ResourceKind.Product);

    private CacheRequest List(ProductQuery query)
    {
        var path = query.Business is { } business && query.Category is null && query.MinPrice is null && query.MaxPrice is null
            ? new Query($"api/catalog/businesses/{business}/products")
            : new Query("api/catalog/products").Add("category", query.Category).Add("business", query.Business)
                .Add("minPrice", query.MinPrice).Add("maxPrice", query.MaxPrice);
        path.Add("sort", query.Sort).Add("pageSize", query.PageSize ?? DefaultPageSize).Add("cursor", query.Cursor);
        return new CacheRequest(path.ToString(), ResourceKind.ProductList);
    }
}
