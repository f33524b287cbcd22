using Hive.Mobile.Models;

namespace Hive.Mobile.Orders;

/// <summary>An order waiting in the queue, known by its client-made Idempotency-Key.</summary>
public sealed record QueuedOrder(long Sequence, string IdempotencyKey, OrderRequest Request, DateTimeOffset QueuedAt, int Attempts);

/// <summary>How a queued order ended: placed (<see cref="Order"/>) or refused for good (<see cref="Problem"/>).</summary>
public sealed record OrderOutcome(string IdempotencyKey, OrderRequest Request, Order? Order, ProblemDetails? Problem)
{
    public bool Placed => Order is not null;
}
