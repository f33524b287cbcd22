using System.Security.Claims;
using Catalog.Api.Auth;
using Catalog.Api.Data;
using Catalog.Api.Model;
using Hive.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Apis;

/// <summary>
/// A seller's view of its own products, drafts and archived ones included. Read straight from Postgres:
/// a seller who just saved a draft must see it, and these answers are private, so never shared caches.
/// </summary>
public static class SellerApi
{
    public static IEndpointRouteBuilder MapSellerApi(this IEndpointRouteBuilder app)
    {
        var seller = app.MapGroup("/api/catalog/seller").WithTags("Seller").RequireAuthorization(HivePolicies.Seller)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        seller.MapGet("/products", ListOwnProducts).WithName("ListOwnProducts")
            .WithSummary("One keyset page of the seller's own products, drafts and archived ones included.");
        seller.MapGet("/products/{id:long}", GetOwnProduct).WithName("GetOwnProduct")
            .WithSummary("One of the seller's own products, whatever its status, read fresh from the database.")
            .ProducesNotFound("Your business has no product with id 42.");
        return app;
    }

    public static async Task<Results<Ok<ProductPage>, ValidationProblem, ForbidHttpResult>> ListOwnProducts(
        ClaimsPrincipal user,
        ProductQueries queries,
        CursorKey cursorKey,
        HttpResponse response,
        [AsParameters] OwnProductListRequest request,
        CancellationToken cancellationToken)
    {
        if (user.BusinessId() is not { } businessId)
        {
            return TypedResults.Forbid();
        }

        var errors = new ValidationErrors();
        var query = ListQueries.Build(
            request.Category, businessId, null, null, request.Status, request.Sort, request.PageSize, request.Cursor, cursorKey, errors, anyStatusByDefault: true);
        if (query is null)
        {
            return errors.ToProblem();
        }

        response.Headers.CacheControl = CachePolicies.PrivateNoStore;
        return TypedResults.Ok(await queries.ListAsync(query, cursorKey.Bytes, cancellationToken));
    }

    public static async Task<Results<Ok<ProductDetail>, ProblemHttpResult, ForbidHttpResult>> GetOwnProduct(
        long id, ClaimsPrincipal user, ProductQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        if (user.BusinessId() is not { } businessId)
        {
            return TypedResults.Forbid();
        }

        var product = id > 0 ? await queries.GetByIdAsync(id, cancellationToken) : null;
        if (product is null || product.BusinessId != businessId)
        {
            return CatalogApi.NotFound($"Your business has no product with id {id}.");
        }

        response.Headers.CacheControl = CachePolicies.PrivateNoStore;
        return TypedResults.Ok(product);
    }
}
