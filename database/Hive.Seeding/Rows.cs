namespace Hive.Seeding;

public sealed record BusinessRow(long Id, string Name, string Slug, string County, string Phone, bool Verified, DateTime CreatedAt);

public sealed record ProductRow(
    long Id,
    long BusinessId,
    int CategoryId,
    string Name,
    string Slug,
    string Description,
    decimal Price,
    int Stock,
    string Status,
    bool Featured,
    long Version,
    DateTime CreatedAt,
    DateTime UpdatedAt);

public sealed record ProductImageRow(long Id, long ProductId, string Url, short Position, int Width, int Height, string AltText, DateTime CreatedAt, string Placeholder);

public sealed record OrderRow(
    long Id,
    long BusinessId,
    string CustomerName,
    string CustomerPhone,
    string DeliveryCounty,
    string Status,
    decimal Total,
    string? IdempotencyKey,
    string? RequestHash,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<OrderLineRow> Lines,
    string BuyerId);

public sealed record OrderLineRow(long OrderId, short LineNo, long ProductId, int Quantity, decimal UnitPrice);

public sealed record AnalyticsEventRow(
    long Id,
    string EventType,
    long? ProductId,
    long? BusinessId,
    int? CategoryId,
    string SessionId,
    string? Query,
    DateTime CreatedAt);

public sealed record OutboxMessageRow(
    long Id,
    string MessageType,
    long AggregateId,
    string Payload,
    DateTime OccurredAt,
    DateTime? PublishedAt,
    int Attempts,
    string? LastError);
