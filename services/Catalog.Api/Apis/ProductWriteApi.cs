using System.Security.Claims;
using Catalog.Api.Auth;
using Catalog.Api.Caching;
using Catalog.Api.Data;
using Catalog.Api.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

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
        var api = app.MapGroup("/api/catalog").WithTags("Catalog writes");
        var seller = api.MapGroup("/products").RequireAuthorization();

        seller.MapPost("/", CreateProduct).WithName("CreateProduct");
        seller.MapPut("/{id:long}", UpdateProduct).WithName("UpdateProduct").ProducesProblem(StatusCodes.Status404NotFound);
        seller.MapDelete("/{id:long}", DeleteProduct).WithName("DeleteProduct").ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/dev/tokens", IssueDevToken).WithName("IssueDevToken").AllowAnonymous().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<ProductDetail>, ValidationProblem, ForbidHttpResult>> CreateProduct(
        ProductInput input, ClaimsPrincipal user, ProductCommands commands, ProductQueries queries, CatalogCache cache, CancellationToken cancellationToken)
    {
        if (user.BusinessId() is not { } businessId)
        {
            return TypedResults.Forbid();
        }

        var errors = input.Validate(creating: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: CatalogApi.Describe(errors));
        }

        var withSlug = input.Slug is null ? input with { Slug = ProductInput.SlugFrom(input.Name!, Random.Shared.NextInt64(10_000, 99_999)) } : input;
        var result = await commands.CreateAsync(businessId, withSlug, cancellationToken);
        if (result.InvalidField is { } field)
        {
            return CatalogApi.Invalid(field, result.Error!);
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

        var errors = input.Validate(creating: false);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: CatalogApi.Describe(errors));
        }

        var result = await commands.UpdateAsync(businessId, id, input, cancellationToken);
        if (result.InvalidField is { } field)
        {
            return CatalogApi.Invalid(field, result.Error!);
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

    public static async Task<Results<Ok<DevToken>, ProblemHttpResult, ValidationProblem>> IssueDevToken(
        DevTokenRequest request, IOptions<CatalogAuthOptions> options, DevTokenIssuer issuer, ProductQueries queries, CancellationToken cancellationToken)
    {
        if (!options.Value.DevTokensEnabled)
        {
            return CatalogApi.NotFound("Development tokens are not enabled here.");
        }

        if (request.BusinessId is not > 0)
        {
            return CatalogApi.Invalid("businessId", "businessId must be a positive business id.");
        }

        if (!await queries.BusinessExistsAsync(request.BusinessId.Value, cancellationToken))
        {
            return CatalogApi.NotFound($"No business has id {request.BusinessId}.");
        }

        return TypedResults.Ok(new DevToken(issuer.Issue(request.BusinessId.Value), "Bearer", request.BusinessId.Value));
    }
}

public sealed record DevTokenRequest(long? BusinessId);

public sealed record DevToken(string AccessToken, string TokenType, long BusinessId);
