using System.Security.Claims;
using Catalog.Api.Analytics;
using Catalog.Api.Auth;
using Catalog.Api.Data;
using Catalog.Api.Model;
using Catalog.Api.Orders;
using Hive.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Apis;

/// <summary>
/// Orders belong to the buyer who placed them: placing and cancelling need a buyer token, and a caller
/// only ever sees its own orders (a seller those of its business). Anyone else's order is a 404.
/// </summary>
public static class OrdersApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        // Every order operation needs a token: a buyer's to place or cancel, a buyer's or seller's to read.
        var orders = app.MapGroup("/api/catalog/orders").WithTags("Orders")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        orders.MapPost("/", PlaceOrder).WithName("PlaceOrder").RequireAuthorization(HivePolicies.Buyer)
            .WithSummary("Places an order for the signed-in buyer at the catalog's prices.")
            .WithDescription("Send a fresh Idempotency-Key per order: a retry with the same key and body answers 201 with the same order "
                             + "(and Idempotent-Replayed: true); the same key with another body, or too little stock, is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithProblemExample(StatusCodes.Status409Conflict, "Not enough stock", "Product 42 (Kiondo basket) has 1 left; the order asks for 2.");
        orders.MapGet("/", ListOrders).WithName("ListOrders").RequireAuthorization()
            .WithSummary("One keyset page of the caller's orders (a seller's: its business's), newest first.");
        orders.MapGet("/{id:long}", GetOrder).WithName("GetOrder").RequireAuthorization()
            .WithSummary("One of the caller's orders.")
            .ProducesNotFound("You have no order with id 1001.");
        orders.MapPost("/{id:long}/cancel", CancelOrder).WithName("CancelOrder").RequireAuthorization(HivePolicies.Buyer)
            .WithSummary("Cancels a pending or paid order of the buyer and returns its stock; cancelling twice changes nothing.")
            .ProducesNotFound("You have no order with id 1001.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithProblemExample(StatusCodes.Status409Conflict, "Order cannot be cancelled", "Order 1001 is shipped; only pending or paid orders can be cancelled.");
        return app;
    }

    /// <summary>
    /// A mobile client on a flaky network retries; the Idempotency-Key makes every retry return the first
    /// answer (201 with the same order) instead of placing another order, for as long as the key lives
    /// (<see cref="OrderOptions.IdempotencyKeyLifetime"/>).
    /// </summary>
    public static async Task<Results<Created<Order>, ValidationProblem, ProblemHttpResult>> PlaceOrder(
        OrderInput input,
        [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey,
        ClaimsPrincipal user,
        OrderService orders,
        CatalogAnalytics analytics,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 100 || idempotencyKey.Any(c => c is < '!' or > '~'))
        {
            return ValidationErrors.Problem(IdempotencyHeader, "An Idempotency-Key header (1 to 100 visible ASCII characters, a fresh UUID per order) is required.");
        }

        var (prepared, errors) = input.Prepare();
        if (errors.Count > 0)
        {
            return errors.ToProblem();
        }

        var outcome = await orders.PlaceAsync(user.UserId()!, idempotencyKey, prepared, cancellationToken);
        if (outcome.KeyConflict)
        {
            return TypedResults.Problem(
                "This Idempotency-Key was used for a different order body; use a new key for a new order.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Idempotency-Key already used");
        }

        if (outcome.Shortages is { } shortages)
        {
            return TypedResults.Problem(
                string.Join(" ", shortages.Select(s => $"Product {s.ProductId} ({s.Name}) has {s.Available} left; the order asks for {s.Requested}.")),
                statusCode: StatusCodes.Status409Conflict,
                title: "Not enough stock",
                extensions: new Dictionary<string, object?>
                {
                    ["shortages"] = shortages.Select(s => new { s.ProductId, s.Name, s.Requested, s.Available }).ToList(),
                });
        }

        if (outcome.InvalidField is { } field)
        {
            return ValidationErrors.Problem(field, outcome.Error!);
        }

        if (outcome.WasReplay)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }
        else
        {
            // A replay is the same purchase: only the first answer counts towards trending.
            analytics.Purchased(context, outcome.Order!);
        }

        return TypedResults.Created($"/api/catalog/orders/{outcome.Order!.Id}", outcome.Order);
    }

    public static async Task<Results<Ok<OrderPage>, ValidationProblem, ForbidHttpResult>> ListOrders(
        ClaimsPrincipal user,
        OrderService orders,
        CursorKey cursorKey,
        [AsParameters] OrderListRequest request,
        CancellationToken cancellationToken)
    {
        var (pageSize, cursor) = (request.PageSize, request.Cursor);
        if (Viewer(user) is not { } viewer)
        {
            return TypedResults.Forbid();
        }

        if (pageSize is < 1 or > 100)
        {
            return ValidationErrors.Problem("pageSize", "pageSize must be between 1 and 100.");
        }

        OrderCursor? after = null;
        if (!string.IsNullOrEmpty(cursor) && (after = OrderCursor.TryDecode(cursor, viewer.Scope, cursorKey.Bytes)) is null)
        {
            return ValidationErrors.Problem("cursor", "cursor is not one this service issued for your orders; start again without a cursor.");
        }

        return TypedResults.Ok(await orders.ListAsync(viewer, pageSize ?? orders.DefaultPageSize, after, cursorKey.Bytes, cancellationToken));
    }

    public static async Task<Results<Ok<Order>, ProblemHttpResult, ForbidHttpResult>> GetOrder(
        long id, ClaimsPrincipal user, OrderService orders, CancellationToken cancellationToken)
    {
        if (Viewer(user) is not { } viewer)
        {
            return TypedResults.Forbid();
        }

        var order = id > 0 ? await orders.GetAsync(viewer, id, cancellationToken) : null;
        return order is null ? CatalogApi.NotFound($"You have no order with id {id}.") : TypedResults.Ok(order);
    }

    /// <summary>Pending and paid orders can be cancelled; their stock returns. Cancelling twice changes nothing.</summary>
    public static async Task<Results<Ok<Order>, ProblemHttpResult>> CancelOrder(
        long id, ClaimsPrincipal user, OrderService orders, CancellationToken cancellationToken)
    {
        var outcome = id > 0 ? await orders.CancelAsync(user.UserId()!, id, cancellationToken) : CancelOutcome.NotFound;
        if (outcome.BlockingStatus is { } status)
        {
            return TypedResults.Problem(
                $"Order {id} is {status}; only pending or paid orders can be cancelled.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Order cannot be cancelled");
        }

        return outcome.Order is null ? CatalogApi.NotFound($"You have no order with id {id}.") : TypedResults.Ok(outcome.Order);
    }

    /// <summary>A seller looks at its business's orders, a buyer at its own; other callers have no orders.</summary>
    private static OrderViewer? Viewer(ClaimsPrincipal user)
        => user.IsSeller() ? new OrderViewer(null, user.BusinessId())
            : user.IsBuyer() && user.UserId() is { } buyerId ? new OrderViewer(buyerId, null)
            : null;
}
