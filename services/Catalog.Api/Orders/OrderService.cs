using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Catalog.Api.Orders;

/// <summary>
/// Places orders exactly once per Idempotency-Key: the key is unique in the database, so two racing
/// requests with the same key produce one order and both get its answer. The same key with a different
/// body is refused rather than silently answered with the first order.
/// </summary>
public sealed class OrderService(NpgsqlDataSource db)
{
    public async Task<OrderOutcome> PlaceAsync(string idempotencyKey, OrderInput input, CancellationToken cancellationToken)
    {
        var requestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(input))));
        await using var connection = await db.OpenConnectionAsync(cancellationToken);

        var existing = await FindAsync(connection, idempotencyKey, cancellationToken);
        if (existing is not null)
        {
            return existing.Value.Hash == requestHash ? OrderOutcome.Replayed(existing.Value.Order) : OrderOutcome.KeyReused;
        }

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var ids = input.Lines!.Select(l => l.ProductId!.Value).ToArray();
        var products = new Dictionary<long, (long BusinessId, decimal Price, string Status)>();
        await using (var load = new NpgsqlCommand("SELECT id, business_id, price, status FROM products WHERE id = ANY($1)", connection, tx))
        {
            load.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
            await using var reader = await load.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                products[reader.GetInt64(0)] = (reader.GetInt64(1), reader.GetDecimal(2), reader.GetString(3));
            }
        }

        var missing = ids.Where(id => !products.TryGetValue(id, out var p) || p.Status != "active").ToList();
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

        long orderId;
        DateTimeOffset createdAt;
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO orders (business_id, customer_name, customer_phone, delivery_county, total, idempotency_key, request_hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id, created_at
            """,
            connection,
            tx))
        {
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = businesses[0] });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = input.CustomerName!.Trim() });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = input.CustomerPhone! });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = input.DeliveryCounty!.Trim() });
            insert.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = total });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = idempotencyKey });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = requestHash });
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                // Another request with this key committed first: answer with its order.
                await reader.CloseAsync();
                await tx.RollbackAsync(cancellationToken);
                var winner = await FindAsync(connection, idempotencyKey, cancellationToken);
                return winner!.Value.Hash == requestHash ? OrderOutcome.Replayed(winner.Value.Order) : OrderOutcome.KeyReused;
            }

            orderId = reader.GetInt64(0);
            createdAt = reader.GetFieldValue<DateTimeOffset>(1);
        }

        var batch = new NpgsqlBatch(connection, tx);
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

        await using (batch)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return OrderOutcome.Placed(new Order(orderId, businesses[0], "pending", total, "KES", createdAt, lines));
    }

    private static async Task<(Order Order, string Hash)?> FindAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT o.id, o.business_id, o.status, o.total, o.currency, o.created_at, o.request_hash,
                   l.line_no, l.product_id, l.quantity, l.unit_price
            FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.idempotency_key = $1
            ORDER BY l.line_no
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Order? order = null;
        string hash = string.Empty;
        var lines = new List<OrderLine>();
        while (await reader.ReadAsync(cancellationToken))
        {
            order ??= new Order(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetDecimal(3), reader.GetString(4).Trim(), reader.GetFieldValue<DateTimeOffset>(5), lines);
            hash = reader.GetString(6);
            lines.Add(new OrderLine(reader.GetInt16(7), reader.GetInt64(8), reader.GetInt32(9), reader.GetDecimal(10)));
        }

        return order is null ? null : (order, hash);
    }
}

public sealed record OrderOutcome(Order? Order, bool WasReplay, bool KeyConflict, string? InvalidField, string? Error)
{
    public static readonly OrderOutcome KeyReused = new(null, false, true, null, null);

    public static OrderOutcome Placed(Order order) => new(order, false, false, null, null);

    public static OrderOutcome Replayed(Order order) => new(order, true, false, null, null);

    public static OrderOutcome Invalid(string field, string error) => new(null, false, false, field, error);
}
