using System.ComponentModel.DataAnnotations;

namespace Catalog.Api.Orders;

/// <summary>Order placement (section <c>Catalog:Orders</c>).</summary>
public sealed class OrderOptions
{
    public const string SectionName = "Catalog:Orders";

    /// <summary>
    /// How long an Idempotency-Key answers with its first order. A client retries within minutes; after
    /// this the key is free again and places a new order. Default 24 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Orders per page of GET /api/catalog/orders when the client names none. Default 20.</summary>
    [Range(1, 100)]
    public int DefaultPageSize { get; set; } = 20;
}
