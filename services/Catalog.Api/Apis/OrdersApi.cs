using Catalog.Api.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Apis;

public static class OrdersApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/catalog").WithTags("Orders")
            .MapPost("/orders", PlaceOrder).WithName("PlaceOrder")
            .WithSummary("Places an order once per Idempotency-Key; a retry with the same key and body answers with the same order.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>
    /// A mobile client on a flaky network retries; the Idempotency-Key makes every retry return the first
    /// answer (201 with the same order) instead of placing another order.
    /// </summary>
    public static async Task<Results<Created<Order>, ValidationProblem, ProblemHttpResult>> PlaceOrder(
        OrderInput input,
        [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey,
        OrderService orders,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 100)
        {
            return CatalogApi.Invalid(IdempotencyHeader, "An Idempotency-Key header (1 to 100 characters, a fresh UUID per order) is required.");
        }

        var errors = input.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: CatalogApi.Describe(errors));
        }

        var outcome = await orders.PlaceAsync(idempotencyKey, input, cancellationToken);
        if (outcome.KeyConflict)
        {
            return TypedResults.Problem(
                "This Idempotency-Key was used for a different order body; use a new key for a new order.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Idempotency-Key already used");
        }

        if (outcome.InvalidField is { } field)
        {
            return CatalogApi.Invalid(field, outcome.Error!);
        }

        if (outcome.WasReplay)
        {
            response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Created($"/api/catalog/orders/{outcome.Order!.Id}", outcome.Order);
    }
}
