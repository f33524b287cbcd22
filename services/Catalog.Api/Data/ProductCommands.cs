using Catalog.Api.Model;
using Catalog.Api.Outbox;
using Hive.Contracts;
using Npgsql;

namespace Catalog.Api.Data;

/// <summary>
/// Product writes. Each one changes the product and appends a <see cref="ProductChanged"/> row to the
/// outbox in the same transaction, so the event exists exactly when the change does.
/// </summary>
public sealed class ProductCommands(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<ProductWriteResult> CreateAsync(long businessId, ProductInput input, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO products (business_id, category_id, name, slug, description, price, stock, status, featured)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            RETURNING id, version
            """,
            connection,
            tx)
        {
            Parameters =
            {
                new NpgsqlParameter<long> { TypedValue = businessId },
                new NpgsqlParameter<int> { TypedValue = input.CategoryId!.Value },
                new NpgsqlParameter<string> { TypedValue = input.Name! },
                new NpgsqlParameter<string> { TypedValue = input.Slug! },
                new NpgsqlParameter<string> { TypedValue = input.Description ?? string.Empty },
                new NpgsqlParameter<decimal> { TypedValue = input.Price!.Value },
                new NpgsqlParameter<int> { TypedValue = input.Stock ?? 0 },
                new NpgsqlParameter<string> { TypedValue = input.Status ?? ProductStatus.Active },
                new NpgsqlParameter<bool> { TypedValue = input.Featured ?? false },
            },
        };

        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var id = reader.GetInt64(0);
            var version = reader.GetInt64(1);
            await reader.CloseAsync();
            var change = new ProductChanged(id, businessId, input.CategoryId.Value, input.Slug!, ProductChangeKind.Created, version, clock.GetUtcNow());
            await CatalogOutbox.AppendAsync(connection, tx, change, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return ProductWriteResult.Done(change);
        }
        catch (PostgresException ex) when (Conflict(ex) is { } conflict)
        {
            return conflict;
        }
    }

    /// <summary>Applies the fields the input carries; a product of another business is reported as not found.</summary>
    public async Task<ProductWriteResult> UpdateAsync(long businessId, long productId, ProductInput input, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (await LockOwnedAsync(connection, tx, businessId, productId, cancellationToken) is null)
        {
            return ProductWriteResult.NotFound;
        }

        await using var command = new NpgsqlCommand(
            """
            UPDATE products SET
                category_id = coalesce($3, category_id),
                name        = coalesce($4, name),
                slug        = coalesce($5, slug),
                description = coalesce($6, description),
                price       = coalesce($7, price),
                stock       = coalesce($8, stock),
                status      = coalesce($9, status),
                featured    = coalesce($10, featured),
                version     = version + 1,
                updated_at  = now()
            WHERE id = $2 AND business_id = $1
            RETURNING category_id, slug, version
            """,
            connection,
            tx)
        {
            Parameters =
            {
                new NpgsqlParameter<long> { TypedValue = businessId },
                new NpgsqlParameter<long> { TypedValue = productId },
                new NpgsqlParameter<int?> { TypedValue = input.CategoryId },
                new NpgsqlParameter<string?> { TypedValue = input.Name },
                new NpgsqlParameter<string?> { TypedValue = input.Slug },
                new NpgsqlParameter<string?> { TypedValue = input.Description },
                new NpgsqlParameter<decimal?> { TypedValue = input.Price },
                new NpgsqlParameter<int?> { TypedValue = input.Stock },
                new NpgsqlParameter<string?> { TypedValue = input.Status },
                new NpgsqlParameter<bool?> { TypedValue = input.Featured },
            },
        };

        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var change = new ProductChanged(
                productId, businessId, reader.GetInt32(0), reader.GetString(1), ProductChangeKind.Updated, reader.GetInt64(2), clock.GetUtcNow());
            await reader.CloseAsync();
            await CatalogOutbox.AppendAsync(connection, tx, change, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return ProductWriteResult.Done(change);
        }
        catch (PostgresException ex) when (Conflict(ex) is { } conflict)
        {
            return conflict;
        }
    }

    /// <summary>
    /// Deleting archives the product: orders keep pointing at it, lists stop showing it, and its
    /// slug stays reserved so old links never reach a different product.
    /// </summary>
    public async Task<ProductWriteResult> DeleteAsync(long businessId, long productId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var slug = await LockOwnedAsync(connection, tx, businessId, productId, cancellationToken);
        if (slug is null)
        {
            return ProductWriteResult.NotFound;
        }

        await using var command = new NpgsqlCommand(
            """
            UPDATE products SET status = 'archived', featured = false, version = version + 1, updated_at = now()
            WHERE id = $1 RETURNING category_id, version
            """,
            connection,
            tx)
        {
            Parameters = { new NpgsqlParameter<long> { TypedValue = productId } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var change = new ProductChanged(productId, businessId, reader.GetInt32(0), slug, ProductChangeKind.Deleted, reader.GetInt64(1), clock.GetUtcNow());
        await reader.CloseAsync();
        await CatalogOutbox.AppendAsync(connection, tx, change, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ProductWriteResult.Done(change);
    }

    /// <summary>An admin's choice for the featured strip; an archived product cannot be featured.</summary>
    public async Task<ProductWriteResult> SetFeaturedAsync(long productId, bool featured, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            UPDATE products SET featured = $2 AND status <> 'archived', version = version + 1, updated_at = now()
            WHERE id = $1 RETURNING business_id, category_id, slug, version
            """,
            connection,
            tx)
        {
            Parameters =
            {
                new NpgsqlParameter<long> { TypedValue = productId },
                new NpgsqlParameter<bool> { TypedValue = featured },
            },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return ProductWriteResult.NotFound;
        }

        var change = new ProductChanged(productId, reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), ProductChangeKind.Updated, reader.GetInt64(3), clock.GetUtcNow());
        await reader.CloseAsync();
        await CatalogOutbox.AppendAsync(connection, tx, change, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ProductWriteResult.Done(change);
    }

    private static async Task<string?> LockOwnedAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, long businessId, long productId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT slug FROM products WHERE id = $1 AND business_id = $2 FOR UPDATE", connection, tx)
        {
            Parameters =
            {
                new NpgsqlParameter<long> { TypedValue = productId },
                new NpgsqlParameter<long> { TypedValue = businessId },
            },
        };
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static ProductWriteResult? Conflict(PostgresException ex) => ex.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation when ex.ConstraintName == "products_slug_key" => ProductWriteResult.Invalid("slug", "Another product already uses this slug."),
        PostgresErrorCodes.ForeignKeyViolation when ex.ConstraintName?.Contains("category", StringComparison.Ordinal) == true => ProductWriteResult.Invalid("categoryId", "No category has this id."),
        PostgresErrorCodes.ForeignKeyViolation when ex.ConstraintName?.Contains("business", StringComparison.Ordinal) == true => ProductWriteResult.Invalid("businessId", "No business has this id."),
        PostgresErrorCodes.CheckViolation => ProductWriteResult.Invalid("body", $"A value is out of range ({ex.ConstraintName})."),
        _ => null,
    };
}

/// <summary>A write's outcome: the change it made, or the field that was refused, or neither (not found).</summary>
public sealed record ProductWriteResult(ProductChanged? Change, string? InvalidField, string? Error)
{
    public static readonly ProductWriteResult NotFound = new(null, null, null);

    public static ProductWriteResult Done(ProductChanged change) => new(change, null, null);

    public static ProductWriteResult Invalid(string field, string error) => new(null, field, error);
}
