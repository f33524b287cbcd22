using System.Security.Claims;
using Catalog.Api.Auth;
using Catalog.Api.Caching;
using Catalog.Api.Data;
using Catalog.Api.Model;
using Hive.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Apis;

/// <summary>
/// Seller writes. The business comes from the bearer token, never from the body; a product of another
/// business is a 404 (its existence is not disclosed). The writer's own cache is cleared at once; other
/// services and replicas hear about it through the outbox.
/// </summary>
public static class ProductWriteApi
{
    public static IEndpointRouteBuilder MapProductWriteApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalog").WithTags("Catalog writes")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        var seller = api.MapGroup("/products").RequireAuthorization(HivePolicies.Seller);

        seller.MapPost("/", CreateProduct).WithName("CreateProduct")
            .WithSummary("Creates a product of the seller's business and answers it with its new id.")
            .WithDescription("The business comes from the token; without a slug one is made from the name. Other services learn of it through ProductChanged.");
        seller.MapPut("/{id:long}", UpdateProduct).WithName("UpdateProduct")
            .WithSummary("Changes the fields sent (null or absent leaves a field as it is) and answers the product as stored.")
            .ProducesNotFound("Your business has no product with id 42.");
        seller.MapDelete("/{id:long}", DeleteProduct).WithName("DeleteProduct")
            .WithSummary("Deletes a product of the seller's business.")
            .ProducesNotFound("Your business has no product with id 42.");

        // The storefront's featured strip is the marketplace's choice, not the seller's.
        api.MapPut("/products/{id:long}/featured", SetFeatured).WithName("SetProductFeatured").RequireAuthorization(HivePolicies.Admin)
            .WithSummary("Puts a product on the storefront's featured strip or takes it off (admins only).")
            .ProducesNotFound("No product has id 42.");
        return app;
    }

    public static async Task<Results<Created<ProductDetail>, ValidationProblem, ForbidHttpResult>> CreateProduct(
        ProductInput input, ClaimsPrincipal user, ProductCommands commands, ProductQueries queries, CatalogCache cache, CancellationToken cancellationToken)
    {
        if (user.BusinessId() is not { } businessId)
        {
            return TypedResults.Forbid();
        }

        var (prepared, errors) = input.Prepare(creating: true, mayFeature: user.IsAdmin());
        if (errors.Count > 0)
        {
            return errors.ToProblem();
        }

        var withSlug = prepared.Slug is null ? prepared with { Slug = ProductInput.SlugFrom(prepared.Name!, Random.Shared.NextInt64(10_000, 99_999)) } : prepared;
        var result = await commands.CreateAsync(businessId, withSlug, cancellationToken);
        if (result.InvalidField is { } field)
        {
            return ValidationErrors.Problem(field, result.Error!);
        }

        await cache.InvalidateProductAsync(result.Change!, cancellationToken);
        var created = await queries.GetByIdAsync(result.Change!.ProductId, cancellationToken);
        return TypedResults.Created($"/api/catalog/products/{created!.Id}", created);
    }

    public static async Task<Results<Ok<ProductDetail>, ProblemHttpResult, ValidationProblem, ForbidHttpResult>> UpdateProduct(
        long id, ProductInput input, ClaimsPrincipal user, ProductCommands commands, ProductQueries queries, CatalogCache cache, CancellationToken cancellationToken)
    {
        if (user.BusinessId() is not { } businessId)
        {
            return TypedResults.Forbid();
        }

        var (prepared, errors) = input.Prepare(creating: false, mayFeature: user.IsAdmin());
        if (errors.Count > 0)
        {
            return errors.ToProblem();
        }

        var result = await commands.UpdateAsync(businessId, id, prepared, cancellationToken);
        if (result.InvalidField is { } field)
        {
            return ValidationErrors.Problem(field, result.Error!);
        }

        if (result.Change is null)
        {
            return CatalogApi.NotFound($"Your business has no product with id {id}.");
        }

        await cache.InvalidateProductAsync(result.Change, cancellationToken);
        return TypedResults.Ok((await queries.GetByIdAsync(id, cancellationToken))!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ForbidHttpResult>> DeleteProduct(
        long id, ClaimsPrincipal user, ProductCommands commands, CatalogCache cache, CancellationToken cancellationToken)
    {
        if (user.BusinessId() is not { } businessId)
        {
            return TypedResults.Forbid();
        }

        var result = await commands.DeleteAsync(businessId, id, cancellationToken);
        if (result.Change is null)
        {
            return CatalogApi.NotFound($"Your business has no product with id {id}.");
        }

        await cache.InvalidateProductAsync(result.Change, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ProductDetail>, ProblemHttpResult, ValidationProblem>> SetFeatured(
        long id, FeaturedInput input, ProductCommands commands, ProductQueries queries, CatalogCache cache, CancellationToken cancellationToken)
    {
        if (input.Featured is not { } featured)
        {
            return ValidationErrors.Problem("featured", "featured must be true or false.");
        }

        var result = id > 0 ? await commands.SetFeaturedAsync(id, featured, cancellationToken) : ProductWriteResult.NotFound;
        if (result.Change is null)
        {
            return CatalogApi.NotFound($"No product has id {id}.");
        }

        await cache.InvalidateProductAsync(result.Change, cancellationToken);
        return TypedResults.Ok((await queries.GetByIdAsync(id, cancellationToken))!);
    }
}

public sealed record FeaturedInput(bool? Featured);
