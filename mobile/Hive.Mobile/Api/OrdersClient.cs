using Hive.Mobile.Auth;
using Hive.Mobile.Caching;
using Hive.Mobile.Models;
using Hive.Mobile.Orders;

namespace Hive.Mobile.Api;

/// <summary>The buyer's orders: new ones go through the durable <see cref="Queue"/>; the list is private to the signed-in user.</summary>
public sealed class OrdersClient
{
    private readonly ResponseCache _cache;
    private readonly Func<IAccessTokenProvider?> _tokens;

    internal OrdersClient(ResponseCache cache, OrderQueue queue, Func<IAccessTokenProvider?> tokens)
    {
        _cache = cache;
        Queue = queue;
        _tokens = tokens;
    }

    public OrderQueue Queue { get; }

    /// <summary>Queues the order (committed to disk first) and sends it when the network allows.</summary>
    public Task<QueuedOrder> PlaceAsync(OrderRequest order, CancellationToken cancellationToken = default)
        => Queue.PlaceAsync(order, cancellationToken);

    /// <summary>The signed-in buyer's orders (GET /api/catalog/orders), cached under that user only.</summary>
    public Task<Fetched<IReadOnlyList<Order>>> MineAsync(CancellationToken cancellationToken = default)
    {
        var user = _tokens()?.UserId ?? throw new InvalidOperationException("Sign in first: orders are private to a buyer.");
        return _cache.GetAsync(new CacheRequest("api/catalog/orders", ResourceKind.Private, user, Authenticated: true), HiveJsonContext.Default.IReadOnlyListOrder, cancellationToken);
    }
}
