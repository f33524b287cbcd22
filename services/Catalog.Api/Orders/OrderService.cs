using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Catalog.Api.Outbox;
using Hive.Contracts;
using Hive.ServiceDefaults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Catalog.Api.Orders;

/// <summary>
/// Places orders exactly once per buyer and Idempotency-Key, and reserves their stock in the same
/// transaction. The key is unique per buyer in the database, so two racing requests with the same key
/// produce one order and both get its answer; the same key with a different body is refused. Stock is
/// taken by one conditional UPDATE (<c>stock &gt;= quantity</c>) over every line: all lines or none, and
/// never below zero, however many catalog replicas take orders at once.
/// </summary>
public sealed class OrderService(NpgsqlDataSource db, IOptions<OrderOptions> options, TimeProvider clock)
{
    private const string OrderColumns = "o.id, o.business_id, o.status, o.total, o.currency, o.created_at";

    public async Task<OrderOutcome> PlaceAsync(string buyerId, string idempotencyKey, OrderInput input, CancellationToken cancellationToken)
    {
        var requestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(input))));
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);

        await ReleaseExpiredKeyAsync(connection, tx, buyerId, idempotencyKey, cancellationToken);
        var existing = await FindByKeyAsync(connection, tx, buyerId, idempotencyKey, cancellationToken);
        if (existing is not null)
        {
            await tx.CommitAsync(cancellationToken);
            return existing.Value.Hash == requestHash ? OrderOutcome.Replayed(existing.Value.Order) : OrderOutcome.KeyReused;
        }

        var wanted = input.Lines!.ToDictionary(l => l.ProductId!.Value, l => l.Quantity!.Value);
        var products = await LockProductsAsync(connection, tx, [.. wanted.Keys], cancellationToken);
        var missing = wanted.Keys.Where(id => !products.TryGetValue(id, out var p) || p.Status != "active").Order().ToList();
        if (missing.Count > 0)
        {
            return OrderOutcome.Invalid("lines", $"Not available to order: product {string.Join(", ", missing)}.");
        }

        var businesses = products.Values.Select(p => p.BusinessId).Distinct().ToList();
        if (businesses.Count != 1)
        {
            return OrderOutcome.Invalid("lines", "An order holds products of one business; place one order per business.");
        }

        var lines = input.Lines!.Select((l, i) => new OrderLine(i + 1, l.ProductId!.Value, l.Quantity!.Value, products[l.ProductId.Value].Price)).ToList();
        var total = lines.Sum(l => l.UnitPrice * l.Quantity);
        if (total > OrderInput.MaxTotal)
        {
            return OrderOutcome.Invalid("lines", $"The order's total ({total:0.00} KES) is more than one order can hold ({OrderInput.MaxTotal:0.00} KES); split it.");
        }

        var placed = await InsertOrderAsync(connection, tx, buyerId, businesses[0], input, total, idempotencyKey, requestHash, cancellationToken);
        if (placed is null)
        {
            // Another request with this key committed first: answer with its order.
            await tx.RollbackAsync(cancellationToken);
            var winner = await FindByKeyAsync(connection, null, buyerId, idempotencyKey, cancellationToken);
            return winner is { } w && w.Hash == requestHash ? OrderOutcome.Replayed(w.Order) : OrderOutcome.KeyReused;
        }

        var reserved = await ReserveStockAsync(connection, tx, wanted, cancellationToken);
        if (reserved.Count < wanted.Count)
        {
            await tx.RollbackAsync(cancellationToken);
            var shortages = wanted.Keys.Where(id => !reserved.Any(r => r.ProductId == id)).Order()
                .Select(id => new StockShortage(id, products[id].Name, wanted[id], products[id].Stock))
                .ToList();
            return OrderOutcome.NotEnoughStock(shortages);
        }

        await InsertLinesAsync(connection, tx, placed.Value.Id, lines, cancellationToken);
        foreach (var change in reserved)
        {
            await CatalogOutbox.AppendAsync(connection, tx, change, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return OrderOutcome.Placed(new Order(placed.Value.Id, businesses[0], OrderStatus.Pending, total, "KES", placed.Value.CreatedAt, lines));
    }

    /// <summary>The buyer cancels an order that has not shipped; its stock goes back to the shelf in the same transaction.</summary>
    public async Task<CancelOutcome> CancelAsync(string buyerId, long orderId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        string? status;
        await using (var find = new NpgsqlCommand("SELECT status FROM orders WHERE id = $1 AND buyer_id = $2 FOR UPDATE", connection, tx))
        {
            find.Parameters.Add(new NpgsqlParameter<long> { TypedValue = orderId });
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = buyerId });
            status = await find.ExecuteScalarAsync(cancellationToken) as string;
        }

        if (status is null)
        {
            return CancelOutcome.NotFound;
        }

        if (status == OrderStatus.Cancelled)
        {
            await tx.CommitAsync(cancellationToken);
            return CancelOutcome.Done((await ReadOrdersAsync(connection, "o.id = $1", new SqlParameters().With(orderId), 1, cancellationToken))[0]);
        }

        if (!OrderStatus.Cancellable(status))
        {
            return CancelOutcome.TooLate(status);
        }

        var returned = new List<ProductChanged>();
        await using (var restock = new NpgsqlCommand(
            """
            WITH locked AS (
                SELECT p.id FROM products p JOIN order_lines l ON l.product_id = p.id
                WHERE l.order_id = $1 ORDER BY p.id FOR UPDATE OF p
            )
            UPDATE products p
            SET stock = LEAST(p.stock::bigint + l.quantity, 2147483647)::integer, version = p.version + 1, updated_at = now()
            FROM order_lines l, locked
            WHERE l.order_id = $1 AND p.id = l.product_id AND locked.id = p.id
            RETURNING p.id, p.business_id, p.category_id, p.slug, p.version
            """,
            connection,
            tx))
        {
            restock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = orderId });
            await using var reader = await restock.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                returned.Add(new ProductChanged(
                    reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3), ProductChangeKind.Updated, reader.GetInt64(4), clock.GetUtcNow()));
            }
        }

        await using (var cancel = new NpgsqlCommand("UPDATE orders SET status = 'cancelled', updated_at = now() WHERE id = $1", connection, tx))
        {
            cancel.Parameters.Add(new NpgsqlParameter<long> { TypedValue = orderId });
            await cancel.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var change in returned)
        {
            await CatalogOutbox.AppendAsync(connection, tx, change, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return CancelOutcome.Done((await ReadOrdersAsync(connection, "o.id = $1", new SqlParameters().With(orderId), 1, cancellationToken))[0]);
    }

    /// <summary>An order the viewer may see (their own, or one of their business), or null.</summary>
    public async Task<Order?> GetAsync(OrderViewer viewer, long orderId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var orders = await ReadOrdersAsync(
            connection,
            "o.id = $1 AND (o.buyer_id = $2 OR o.business_id = $3)",
            new SqlParameters().With(orderId).With(viewer.BuyerId).With(viewer.BusinessId),
            1,
            cancellationToken);
        return orders.Count == 0 ? null : orders[0];
    }

    /// <summary>A seller's business orders, else the buyer's own, newest first, by keyset.</summary>
    public async Task<OrderPage> ListAsync(OrderViewer viewer, int pageSize, OrderCursor? after, byte[] cursorKey, CancellationToken cancellationToken)
    {
        var parameters = new SqlParameters();
        var predicate = new StringBuilder(viewer.BusinessId is { } businessId
            ? $"o.business_id = {parameters.Add(businessId)}"
            : $"o.buyer_id = {parameters.Add(viewer.BuyerId!)}");
        if (after is not null)
        {
            predicate.Append($" AND (o.created_at, o.id) < ({parameters.Add(after.CreatedAt)}, {parameters.Add(after.Id)})");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var orders = await ReadOrdersAsync(connection, predicate.ToString(), parameters, pageSize + 1, cancellationToken);
        string? next = null;
        if (orders.Count > pageSize)
        {
            orders.RemoveAt(orders.Count - 1);
            next = new OrderCursor(viewer.Scope, orders[^1].CreatedAt, orders[^1].Id).Encode(cursorKey);
        }

        return new OrderPage(orders, next);
    }

    public int DefaultPageSize => options.Value.DefaultPageSize;

    private async Task ReleaseExpiredKeyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string buyerId, string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE orders SET idempotency_key = NULL WHERE buyer_id = $1 AND idempotency_key = $2 AND created_at < $3", connection, tx);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = buyerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() - options.Value.IdempotencyKeyLifetime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Locks the ordered products in id order, so two orders over the same products never deadlock.</summary>
    private static async Task<Dictionary<long, LockedProduct>> LockProductsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT id, business_id, price, status, stock, name FROM products WHERE id = ANY($1) ORDER BY id FOR UPDATE", connection, tx);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var products = new Dictionary<long, LockedProduct>();
        while (await reader.ReadAsync(cancellationToken))
        {
            products[reader.GetInt64(0)] = new LockedProduct(reader.GetInt64(1), reader.GetDecimal(2), reader.GetString(3), reader.GetInt32(4), reader.GetString(5));
        }

        return products;
    }

    /// <summary>Takes every line's quantity if, and only if, that much is on the shelf; answers the products it took from.</summary>
    private async Task<List<ProductChanged>> ReserveStockAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Dictionary<long, int> wanted, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE products p
            SET stock = p.stock - l.quantity, version = p.version + 1, updated_at = now()
            FROM unnest($1::bigint[], $2::integer[]) AS l(id, quantity)
            WHERE p.id = l.id AND p.status = 'active' AND p.stock >= l.quantity
            RETURNING p.id, p.business_id, p.category_id, p.slug, p.version
            """,
            connection,
            tx);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. wanted.Keys] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. wanted.Values] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<ProductChanged>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new ProductChanged(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3), ProductChangeKind.Updated, reader.GetInt64(4), clock.GetUtcNow()));
        }

        return changes;
    }

    private static async Task<(long Id, DateTimeOffset CreatedAt)?> InsertOrderAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string buyerId, long businessId, OrderInput input, decimal total, string key, string hash, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO orders (business_id, customer_name, customer_phone, delivery_county, total, idempotency_key, request_hash, buyer_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (buyer_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING id, created_at
            """,
            connection,
            tx);
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = businessId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = input.CustomerName! });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = input.CustomerPhone! });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = input.DeliveryCounty! });
        insert.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = total });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hash });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = buyerId });
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    private static async Task InsertLinesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long orderId, List<OrderLine> lines, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var line in lines)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price) VALUES ($1, $2, $3, $4, $5)")
            {
                Parameters =
                {
                    new NpgsqlParameter<long> { TypedValue = orderId },
                    new NpgsqlParameter<short> { TypedValue = (short)line.LineNo },
                    new NpgsqlParameter<long> { TypedValue = line.ProductId },
                    new NpgsqlParameter<int> { TypedValue = line.Quantity },
                    new NpgsqlParameter<decimal> { TypedValue = line.UnitPrice },
                },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<(Order Order, string Hash)?> FindByKeyAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string buyerId, string key, CancellationToken cancellationToken)
    {
        string? hash;
        long id;
        await using (var command = new NpgsqlCommand("SELECT id, request_hash FROM orders WHERE buyer_id = $1 AND idempotency_key = $2", connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = buyerId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            id = reader.GetInt64(0);
            hash = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        var orders = await ReadOrdersAsync(connection, "o.id = $1", new SqlParameters().With(id), 1, cancellationToken, tx);
        return (orders[0], hash ?? string.Empty);
    }

    /// <summary>Orders matching <paramref name="predicate"/>, newest first, each with its lines (two queries, not one per order).</summary>
    private static async Task<List<Order>> ReadOrdersAsync(
        NpgsqlConnection connection, string predicate, SqlParameters parameters, int limit, CancellationToken cancellationToken, NpgsqlTransaction? tx = null)
    {
        var heads = new List<(long Id, long BusinessId, string Status, decimal Total, string Currency, DateTimeOffset CreatedAt)>();
        await using (var command = parameters.CreateCommand(
            $"SELECT {OrderColumns} FROM orders o WHERE {predicate} ORDER BY o.created_at DESC, o.id DESC LIMIT {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            connection,
            tx))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                heads.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetDecimal(3), reader.GetString(4).Trim(), reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        var lines = heads.ToDictionary(h => h.Id, _ => new List<OrderLine>());
        if (heads.Count > 0)
        {
            await using var command = new NpgsqlCommand(
                "SELECT order_id, line_no, product_id, quantity, unit_price FROM order_lines WHERE order_id = ANY($1) ORDER BY order_id, line_no", connection, tx);
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. lines.Keys] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lines[reader.GetInt64(0)].Add(new OrderLine(reader.GetInt16(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetDecimal(4)));
            }
        }

        return heads.Select(h => new Order(h.Id, h.BusinessId, h.Status, h.Total, h.Currency, h.CreatedAt, lines[h.Id])).ToList();
    }

    private sealed record LockedProduct(long BusinessId, decimal Price, string Status, int Stock, string Name);
}

/// <summary>Who looks at orders: a buyer sees the orders they placed, a seller those of its business.</summary>
public sealed record OrderViewer(string? BuyerId, long? BusinessId)
{
    /// <summary>Binds a cursor to the list it came from.</summary>
    public string Scope => BusinessId is { } businessId ? $"s{businessId}" : $"b{BuyerId}";
}

/// <summary>A product an order asked more of than is left.</summary>
public sealed record StockShortage(long ProductId, string Name, int Requested, int Available);

public sealed record OrderOutcome(Order? Order, bool WasReplay, bool KeyConflict, string? InvalidField, string? Error, IReadOnlyList<StockShortage>? Shortages)
{
    public static readonly OrderOutcome KeyReused = new(null, false, true, null, null, null);

    public static OrderOutcome Placed(Order order) => new(order, false, false, null, null, null);

    public static OrderOutcome Replayed(Order order) => new(order, true, false, null, null, null);

    public static OrderOutcome Invalid(string field, string error) => new(null, false, false, field, error, null);

    public static OrderOutcome NotEnoughStock(IReadOnlyList<StockShortage> shortages) => new(null, false, false, null, null, shortages);
}

public sealed record CancelOutcome(Order? Order, string? BlockingStatus)
{
    public static readonly CancelOutcome NotFound = new(null, null);

    public static CancelOutcome Done(Order order) => new(order, null);

    public static CancelOutcome TooLate(string status) => new(null, status);
}
