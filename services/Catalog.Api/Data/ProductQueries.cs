using System.Text;
using Catalog.Api.Model;
using Hive.ServiceDefaults;
using Npgsql;

namespace Catalog.Api.Data;

/// <summary>
/// The catalog's reads, written for the indexes in database/migrations/0003_indexes.sql: each query
/// only filters on what the request gave, so the planner can pick the index that matches.
/// </summary>
public sealed class ProductQueries(DatabaseGuard db)
{
    public Task<ProductDetail?> GetByIdAsync(long id, CancellationToken cancellationToken)
        => GetDetailAsync("p.id = $1", new NpgsqlParameter<long> { TypedValue = id }, cancellationToken);

    public Task<ProductDetail?> GetBySlugAsync(string slug, CancellationToken cancellationToken)
        => GetDetailAsync("p.slug = $1", new NpgsqlParameter<string> { TypedValue = slug }, cancellationToken);

    private async Task<ProductDetail?> GetDetailAsync(string predicate, NpgsqlParameter key, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {ProductReader.DetailColumns} FROM products p WHERE {predicate}", connection);
        command.Parameters.Add(key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var id = reader.GetInt64(0);
        var product = ProductReader.Detail(reader, []);
        await reader.CloseAsync();

        await using var images = new NpgsqlCommand(
            "SELECT id, url, position, width, height, alt_text, placeholder FROM product_images WHERE product_id = $1 ORDER BY position, id", connection);
        images.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var imageReader = await images.ExecuteReaderAsync(cancellationToken);
        var list = new List<ProductImage>();
        while (await imageReader.ReadAsync(cancellationToken))
        {
            list.Add(ProductReader.Image(imageReader));
        }

        return product with { Images = list };
    }

    public async Task<ProductPage> ListAsync(ProductListQuery query, byte[] cursorKey, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"SELECT {ProductReader.CardColumns} FROM products p WHERE true");
        var parameters = new SqlParameters();

        if (query.Status is { } status)
        {
            sql.Append(" AND p.status = ").Append(parameters.Add(status));
        }

        if (query.BusinessId is { } businessId)
        {
            sql.Append(" AND p.business_id = ").Append(parameters.Add(businessId));
        }

        if (query.CategoryId is { } categoryId)
        {
            sql.Append(" AND p.category_id = ").Append(parameters.Add(categoryId));
        }

        if (query.MinPrice is { } min)
        {
            sql.Append(" AND p.price >= ").Append(parameters.Add(min));
        }

        if (query.MaxPrice is { } max)
        {
            sql.Append(" AND p.price <= ").Append(parameters.Add(max));
        }

        if (query.After is { } after)
        {
            sql.Append(query.Sort switch
            {
                ProductSort.Newest => $" AND (p.created_at, p.id) < ({parameters.Add(after.CreatedAt!.Value)}, {parameters.Add(after.Id)})",
                ProductSort.PriceAscending => $" AND (p.price, p.id) > ({parameters.Add(after.Price!.Value)}, {parameters.Add(after.Id)})",
                _ => $" AND (p.price, p.id) < ({parameters.Add(after.Price!.Value)}, {parameters.Add(after.Id)})",
            });
        }

        sql.Append(query.Sort switch
        {
            ProductSort.Newest => " ORDER BY p.created_at DESC, p.id DESC",
            ProductSort.PriceAscending => " ORDER BY p.price, p.id",
            _ => " ORDER BY p.price DESC, p.id DESC",
        });
        sql.Append(" LIMIT ").Append(parameters.Add(query.PageSize + 1));

        var cards = await ReadCardsAsync(sql.ToString(), parameters, cancellationToken);
        string? next = null;
        if (cards.Count > query.PageSize)
        {
            cards.RemoveAt(cards.Count - 1);
            var last = cards[^1];
            next = new ListCursor(query.Sort, last.CreatedAt, last.Price, last.Id).Encode(cursorKey);
        }

        return new ProductPage(cards, next);
    }

    public async Task<IReadOnlyList<ProductCard>> FeaturedAsync(int limit, CancellationToken cancellationToken)
        => await ReadCardsAsync(
            $"SELECT {ProductReader.CardColumns} FROM products p WHERE p.featured AND p.status = 'active' ORDER BY p.created_at DESC, p.id DESC LIMIT $1",
            new SqlParameters().With(limit),
            cancellationToken);

    /// <summary>The active products among <paramref name="ids"/> (in no particular order).</summary>
    public async Task<IReadOnlyList<ProductCard>> ActiveCardsAsync(long[] ids, CancellationToken cancellationToken)
        => await ReadCardsAsync(
            $"SELECT {ProductReader.CardColumns} FROM products p WHERE p.id = ANY($1) AND p.status = 'active'",
            new SqlParameters().With(ids),
            cancellationToken);

    /// <summary>Products with the most views, clicks and purchases (purchases weigh most) since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<TrendingProduct>> TrendingAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH scores AS (
                SELECT product_id,
                       sum(CASE event_type WHEN 'purchase' THEN 10 WHEN 'add_to_cart' THEN 4 WHEN 'click' THEN 2 ELSE 1 END) AS score
                FROM analytics_events
                WHERE created_at >= $1 AND product_id IS NOT NULL
                GROUP BY product_id
                ORDER BY score DESC
                LIMIT $2 * 2
            )
            SELECT {ProductReader.CardColumns}, s.score
            FROM scores s JOIN products p ON p.id = s.product_id
            WHERE p.status = 'active'
            ORDER BY s.score DESC, p.id
            LIMIT $2
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection)
        {
            Parameters =
            {
                new NpgsqlParameter<DateTimeOffset> { TypedValue = since },
                new NpgsqlParameter<int> { TypedValue = limit },
            },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<TrendingProduct>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new TrendingProduct(ProductReader.Card(reader), reader.GetInt64(10)));
        }

        await reader.CloseAsync();
        var cards = await Images.CardImages.AttachAsync(connection, result.ConvertAll(t => t.Product), cancellationToken);
        return result.Select((t, i) => t with { Product = cards[i] }).ToList();
    }

    /// <summary>Active products of the same category first, then of the same business; never the product itself.</summary>
    public async Task<IReadOnlyList<ProductCard>?> RelatedAsync(long productId, int limit, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH source AS (SELECT id, category_id, business_id FROM products WHERE id = $1)
            SELECT {ProductReader.CardColumns}
            FROM (
                (SELECT p.id, 0 AS rank FROM products p, source s
                 WHERE p.status = 'active' AND p.category_id = s.category_id AND p.id <> s.id
                 ORDER BY p.created_at DESC LIMIT $2)
                UNION ALL
                (SELECT p.id, 1 AS rank FROM products p, source s
                 WHERE p.business_id = s.business_id AND p.status = 'active' AND p.id <> s.id
                 ORDER BY p.created_at DESC LIMIT $2)
            ) candidates
            JOIN products p ON p.id = candidates.id
            GROUP BY p.id
            ORDER BY min(candidates.rank), p.created_at DESC, p.id DESC
            LIMIT $2
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM products WHERE id = $1", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter<long> { TypedValue = productId });
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                return null;
            }
        }

        return await ReadCardsAsync(sql, new SqlParameters().With(productId).With(limit), cancellationToken, connection);
    }

    public async Task<IReadOnlyList<CategoryCount>> CategoriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT category_id, name, slug, active_product_count FROM mv_category_counts ORDER BY name", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<CategoryCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new CategoryCount(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return result;
    }

    public async Task<bool> BusinessExistsAsync(long businessId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1 FROM businesses WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = businessId });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private async Task<List<ProductCard>> ReadCardsAsync(
        string sql, SqlParameters parameters, CancellationToken cancellationToken, NpgsqlConnection? connection = null)
    {
        var owned = connection is null;
        connection ??= await db.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = parameters.CreateCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var cards = new List<ProductCard>();
            while (await reader.ReadAsync(cancellationToken))
            {
                cards.Add(ProductReader.Card(reader));
            }

            await reader.CloseAsync();
            return await Images.CardImages.AttachAsync(connection, cards, cancellationToken);
        }
        finally
        {
            if (owned)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
