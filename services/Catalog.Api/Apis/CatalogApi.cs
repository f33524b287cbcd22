using System.Text.RegularExpressions;
using Catalog.Api.Analytics;
using Catalog.Api.Caching;
using Catalog.Api.Data;
using Catalog.Api.Model;
using Hive.Caching;
using Hive.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Apis;

/// <summary>The catalog's reads: every one goes through the cache and answers with an ETag.</summary>
public static partial class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        // Every route passes the gateway's rate limit, and every read may need Postgres on a cache miss.
        var api = app.MapGroup("/api/catalog").WithTags("Catalog")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/categories", GetCategories).WithName("GetCategories")
            .WithSummary("Every category with its count of active products.");
        api.MapGet("/products", ListProducts).WithName("ListProducts")
            .WithSummary("One keyset page of active products, filtered and sorted.")
            .WithDescription("Pass nextCursor back as cursor for the next page; a cursor is only good with the filters and sort it came with.");
        api.MapGet("/products/featured", GetFeatured).WithName("GetFeaturedProducts")
            .WithSummary("Featured active products.");
        api.MapGet("/products/trending", GetTrending).WithName("GetTrendingProducts")
            .WithSummary("Products ranked by recent views and purchases in an hour, day or week.");
        api.MapGet("/products/{id:long}", GetProductById).WithName("GetProductById")
            .WithSummary("One active product with its images.")
            .WithDescription("Drafts and archived products are a 404 here; their seller reads them at /api/catalog/seller/products/{id}.")
            .ProducesNotFound("No product has id 42.");
        api.MapGet("/products/{id:long}/related", GetRelated).WithName("GetRelatedProducts")
            .WithSummary("Products of the same category, then of the same business.")
            .ProducesNotFound("No product has id 42.");
        api.MapGet("/products/by-slug/{slug}", GetProductBySlug).WithName("GetProductBySlug")
            .WithSummary("One active product by its slug.")
            .ProducesNotFound("No product has slug 'kiondo-basket-20417'.");
        api.MapGet("/businesses/{businessId:long}/products", GetBusinessProducts).WithName("GetBusinessProducts")
            .WithSummary("One keyset page of a business's active products.");

        return app;
    }

    public static async Task<CachedJsonResult<IReadOnlyList<CategoryCount>>> GetCategories(CatalogCache cache, CancellationToken cancellationToken)
        => new(await cache.CategoriesAsync(cancellationToken), CachePolicies.Reference);

    public static async Task<Results<CachedJsonResult<ProductPage>, ValidationProblem>> ListProducts(
        CatalogCache cache,
        CursorKey cursorKey,
        [AsParameters] ProductListRequest request,
        CancellationToken cancellationToken)
    {
        if (request.Status is { } status && !string.Equals(status.Trim(), ProductStatus.Active, StringComparison.OrdinalIgnoreCase))
        {
            // Drafts and archived products are their seller's business: see /api/catalog/seller/products.
            return ValidationErrors.Problem("status", "Only active products are public; a seller lists its own products of every status at /api/catalog/seller/products.");
        }

        var errors = new ValidationErrors();
        var query = ListQueries.Build(
            request.Category, request.Business, request.MinPrice, request.MaxPrice, request.Status, request.Sort, request.PageSize, request.Cursor, cursorKey, errors);
        if (query is null)
        {
            return errors.ToProblem();
        }

        return new CachedJsonResult<ProductPage>(await cache.ListAsync(query, cursorKey.Bytes, cancellationToken), CachePolicies.List);
    }

    public static async Task<Results<CachedJsonResult<ProductPage>, ValidationProblem>> GetBusinessProducts(
        long businessId,
        CatalogCache cache,
        CursorKey cursorKey,
        [AsParameters] BusinessProductListRequest request,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var query = ListQueries.Build(null, businessId, null, null, ProductStatus.Active, request.Sort, request.PageSize, request.Cursor, cursorKey, errors);
        if (query is null)
        {
            return errors.ToProblem();
        }

        return new CachedJsonResult<ProductPage>(await cache.ListAsync(query, cursorKey.Bytes, cancellationToken), CachePolicies.List);
    }

    public static async Task<Results<CachedJsonResult<IReadOnlyList<ProductCard>>, ValidationProblem>> GetFeatured(
        CatalogCache cache, [FromQuery] int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > ProductListQuery.MaxPageSize)
        {
            return ValidationErrors.Problem("limit", $"limit must be between 1 and {ProductListQuery.MaxPageSize}.");
        }

        return new CachedJsonResult<IReadOnlyList<ProductCard>>(await cache.FeaturedAsync(limit ?? 20, cancellationToken), CachePolicies.List);
    }

    public static async Task<Results<CachedJsonResult<IReadOnlyList<TrendingProduct>>, ValidationProblem>> GetTrending(
        CatalogCache cache, [FromQuery] string? window, [FromQuery] int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > ProductListQuery.MaxPageSize)
        {
            return ValidationErrors.Problem("limit", $"limit must be between 1 and {ProductListQuery.MaxPageSize}.");
        }

        if (!Enum.TryParse<TrendingWindow>(window ?? nameof(TrendingWindow.Day), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            return ValidationErrors.Problem("window", "window must be hour, day or week.");
        }

        return new CachedJsonResult<IReadOnlyList<TrendingProduct>>(await cache.TrendingAsync(parsed, limit ?? 20, cancellationToken), CachePolicies.List);
    }

    public static async Task<Results<CachedJsonResult<ProductDetail>, ProblemHttpResult>> GetProductById(
        long id, CatalogCache cache, CatalogAnalytics analytics, HttpContext context, CancellationToken cancellationToken)
    {
        var ready = id > 0 ? await cache.ProductAsync(id, cancellationToken) : null;
        var product = ready?.GetValue(cache.JsonOptions);
        if (product is not { IsPublic: true })
        {
            return NotFound($"No product has id {id}.");
        }

        analytics.Viewed(context, product);
        return new CachedJsonResult<ProductDetail>(ready!, CachePolicies.Product);
    }

    public static async Task<Results<CachedJsonResult<ProductDetail>, ProblemHttpResult, ValidationProblem>> GetProductBySlug(
        string slug, CatalogCache cache, CatalogAnalytics analytics, HttpContext context, CancellationToken cancellationToken)
    {
        if (slug.Length > 120 || !SlugPattern().IsMatch(slug))
        {
            return ValidationErrors.Problem("slug", "A slug is lower-case letters and digits separated by single hyphens, at most 120 characters.");
        }

        var ready = await cache.ProductBySlugAsync(slug, cancellationToken);
        var product = ready?.GetValue(cache.JsonOptions);
        if (product is not { IsPublic: true })
        {
            return NotFound($"No product has slug '{slug}'.");
        }

        analytics.Viewed(context, product);
        return new CachedJsonResult<ProductDetail>(ready!, CachePolicies.Product);
    }

    public static async Task<Results<CachedJsonResult<IReadOnlyList<ProductCard>>, ProblemHttpResult, ValidationProblem>> GetRelated(
        long id, CatalogCache cache, [FromQuery] int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 50)
        {
            return ValidationErrors.Problem("limit", "limit must be between 1 and 50.");
        }

        // Related products of a draft would tell that the draft exists: it is a 404 like the draft itself.
        var source = id > 0 ? await cache.ProductAsync(id, cancellationToken) : null;
        var related = source?.GetValue(cache.JsonOptions) is { IsPublic: true } ? await cache.RelatedAsync(id, limit ?? 12, cancellationToken) : null;
        return related is null
            ? NotFound($"No product has id {id}.")
            : new CachedJsonResult<IReadOnlyList<ProductCard>>(related, CachePolicies.List);
    }

    internal static ProblemHttpResult NotFound(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
