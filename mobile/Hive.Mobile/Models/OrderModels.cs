namespace Hive.Mobile.Models;

/// <summary>What the buyer orders; prices always come from the catalog.</summary>
public sealed record OrderRequest(string CustomerName, string CustomerPhone, string DeliveryCounty, IReadOnlyList<OrderLineRequest> Lines);

public sealed record OrderLineRequest(long ProductId, int Quantity);

public sealed record Order(long Id, long BusinessId, string Status, decimal Total, string Currency, DateTimeOffset CreatedAt, IReadOnlyList<OrderLine> Lines);

public sealed record OrderLine(int LineNo, long ProductId, int Quantity, decimal UnitPrice);

/// <summary>One keyset page of the buyer's orders, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record OrderPage(IReadOnlyList<Order> Items, string? NextCursor);
