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

    /// <summary>
    /// The signed-in buyer's orders, newest first, one keyset page at a time (GET /api/catalog/orders; pass the
    /// previous page's <see cref="OrderPage.NextCursor"/> for the next), cached under that user only.
    /// </summary>
    public Task<Fetched<OrderPage>> MineAsync(string? cursor = null, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        var path = new Query("api/catalog/orders").Add("pageSize", pageSize).Add("cursor", cursor).ToString();
        return _cache.GetAsync(new CacheRequest(path, ResourceKind.Private, User(), Authenticated: true), HiveJsonContext.Default.OrderPage, cancellationToken);
    }

    /// <summary>One of the signed-in buyer's orders (GET /api/catalog/orders/{id}); anyone else's is a 404.</summary>
    public Task<Fetched<Order>> OrderAsync(long id, CancellationToken cancellationToken = default)
        => _cache.GetAsync(new CacheRequest($"api/catalog/orders/{id}", ResourceKind.Private, User(), Authenticated: true), HiveJsonContext.Default.Order, cancellationToken);

    private string User() => _tokens()?.UserId ?? throw new InvalidOperationException("Sign in first: orders are private to a buyer.");
}
