using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Hive.Seeding;

/// <summary>
/// Loads generated marketplace data into a migrated, empty Hive database with binary COPY, then leaves
/// it ready to query: identity sequences past the loaded ids, statistics and visibility map current
/// (so index-only scans work), materialized views refreshed.
/// </summary>
public static class DatabaseSeeder
{
    /// <summary>"HiveSeed" in ASCII: the advisory lock that lets only one process seed a database.</summary>
    private const long SeedLockKey = 0x4869_7665_5365_6564;

    private const int BatchRows = 100_000;
    private const int ReportEveryRows = 5_000;

    private static readonly string[] SeededTables =
        ["businesses", "products", "product_images", "orders", "order_lines", "analytics_events", "outbox_messages"];

    private static readonly string[] MaterializedViews = ["mv_business_stats", "mv_category_counts", "mv_daily_platform_stats", "mv_search_autocomplete"];

    public static Task SeedAsync(string connectionString, SeedSize size, int seed, IProgress<SeedProgress>? progress, CancellationToken ct)
        => SeedAsync(connectionString, new SeedOptions(size, seed), progress, ct);

    /// <summary>Seeds an empty database; throws when businesses, products or orders already hold rows.</summary>
    public static async Task SeedAsync(string connectionString, SeedOptions options, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var connection = await OpenAsync(connectionString, ct);
        await EnsureMigratedAsync(connection, ct);
        if (!await IsEmptyAsync(connection, ct))
        {
            throw new InvalidOperationException("The database already has businesses, products or orders; seed only an empty database.");
        }

        await LoadAsync(connection, new SeedDataGenerator(options), progress, ct);
    }

    public static Task<bool> SeedIfEmptyAsync(string connectionString, SeedSize size, int seed, IProgress<SeedProgress>? progress, CancellationToken ct)
        => SeedIfEmptyAsync(connectionString, new SeedOptions(size, seed), progress, ct);

    /// <summary>
    /// Seeds only when the database has no businesses, products or orders and returns whether it did.
    /// Callers racing each other (replicas of the migrator) serialize on an advisory lock; the losers see
    /// the winner's data and return <c>false</c>.
    /// </summary>
    public static async Task<bool> SeedIfEmptyAsync(string connectionString, SeedOptions options, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Unpooled: the session-level lock must die with this connection if anything below goes wrong.
        var lockBuilder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 };
        await using var lockConnection = new NpgsqlConnection(lockBuilder.ConnectionString);
        await lockConnection.OpenAsync(ct);
        await ExecuteAsync(lockConnection, $"SELECT pg_advisory_lock({SeedLockKey})", ct);
        try
        {
            await using var connection = await OpenAsync(connectionString, ct);
            await EnsureMigratedAsync(connection, ct);
            if (!await IsEmptyAsync(connection, ct))
            {
                return false;
            }

            await LoadAsync(connection, new SeedDataGenerator(options), progress, ct);
            return true;
        }
        finally
        {
            await ExecuteAsync(lockConnection, $"SELECT pg_advisory_unlock({SeedLockKey})", CancellationToken.None);
        }
    }

    private static async Task LoadAsync(NpgsqlConnection connection, SeedDataGenerator data, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        // One transaction: a cancelled or failed seed leaves the database empty, so it can simply be retried.
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await CopyAsync(connection, "businesses", "id, name, slug, county, phone, verified, created_at", data.Businesses, data.Businesses.Count, static (w, r) =>
            {
                w.Write(r.Id, NpgsqlDbType.Bigint);
                w.Write(r.Name, NpgsqlDbType.Text);
                w.Write(r.Slug, NpgsqlDbType.Text);
                w.Write(r.County, NpgsqlDbType.Text);
                w.Write(r.Phone, NpgsqlDbType.Text);
                w.Write(r.Verified, NpgsqlDbType.Boolean);
                w.Write(r.CreatedAt, NpgsqlDbType.TimestampTz);
            }, progress, ct);

            await CopyAsync(connection, "products", "id, business_id, category_id, name, slug, description, price, stock, status, featured, version, created_at, updated_at", data.Products, data.Products.Count, static (w, r) =>
            {
                w.Write(r.Id, NpgsqlDbType.Bigint);
                w.Write(r.BusinessId, NpgsqlDbType.Bigint);
                w.Write(r.CategoryId, NpgsqlDbType.Integer);
                w.Write(r.Name, NpgsqlDbType.Text);
                w.Write(r.Slug, NpgsqlDbType.Text);
                w.Write(r.Description, NpgsqlDbType.Text);
                w.Write(r.Price, NpgsqlDbType.Numeric);
                w.Write(r.Stock, NpgsqlDbType.Integer);
                w.Write(r.Status, NpgsqlDbType.Text);
                w.Write(r.Featured, NpgsqlDbType.Boolean);
                w.Write(r.Version, NpgsqlDbType.Bigint);
                w.Write(r.CreatedAt, NpgsqlDbType.TimestampTz);
                w.Write(r.UpdatedAt, NpgsqlDbType.TimestampTz);
            }, progress, ct);

            await CopyAsync(connection, "product_images", "id, product_id, url, position, width, height, alt_text, created_at, media_image_id, placeholder", data.ProductImages(), data.ProductImageCount, static (w, r) =>
            {
                w.Write(r.Id, NpgsqlDbType.Bigint);
                w.Write(r.ProductId, NpgsqlDbType.Bigint);
                w.Write(r.Url, NpgsqlDbType.Text);
                w.Write(r.Position, NpgsqlDbType.Smallint);
                w.Write(r.Width, NpgsqlDbType.Integer);
                w.Write(r.Height, NpgsqlDbType.Integer);
                w.Write(r.AltText, NpgsqlDbType.Text);
                w.Write(r.CreatedAt, NpgsqlDbType.TimestampTz);
                w.Write(r.Id, NpgsqlDbType.Bigint);
                w.Write(r.Placeholder, NpgsqlDbType.Text);
            }, progress, ct);

            // Media's rows for the same images: one of twelve demo designs at the row's size, which the media
            // service draws on first use, with the placeholders media computes for that design (DemoImages).
            var demo = DemoImages.All().Select(d => (Key: DemoImages.StorageKey(d.Design, d.Width, d.Height), Placeholder: DemoImages.Placeholder(d.Design, d.Width, d.Height))).ToList();
            await using (var mediaImages = new NpgsqlCommand(
                $"""
                INSERT INTO media_images (id, product_id, business_id, storage_key, content_type, width, height, bytes, placeholder, blurhash, position, alt_text, created_at, updated_at)
                SELECT i.id, i.product_id, p.business_id, d.key, 'image/jpeg', i.width, i.height, d.bytes, d.thumbhash, d.blurhash, i.position, i.alt_text, i.created_at, i.created_at
                FROM product_images i
                JOIN products p ON p.id = i.product_id
                JOIN unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS d(key, thumbhash, blurhash, bytes)
                  ON d.key = 'demo/' || (i.id % {DemoImages.Designs}) || '-' || i.width || 'x' || i.height || '.jpg'
                """,
                connection))
            {
                mediaImages.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = demo.Select(d => d.Key).ToArray() });
                mediaImages.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = demo.Select(d => d.Placeholder.ThumbHash).ToArray() });
                mediaImages.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = demo.Select(d => d.Placeholder.BlurHash).ToArray() });
                mediaImages.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = demo.Select(d => d.Placeholder.Bytes).ToArray() });
                await mediaImages.ExecuteNonQueryAsync(ct);
            }

            await ExecuteAsync(
                connection,
                "SELECT setval(pg_get_serial_sequence('media_images', 'id'), coalesce(max(id), 0) + 1, false) FROM media_images",
                ct);

            await CopyAsync(connection, "orders", "id, business_id, customer_name, customer_phone, delivery_county, status, total, idempotency_key, request_hash, created_at, updated_at, buyer_id", data.Orders, data.Orders.Count, static (w, r) =>
            {
                w.Write(r.Id, NpgsqlDbType.Bigint);
                w.Write(r.BusinessId, NpgsqlDbType.Bigint);
                w.Write(r.CustomerName, NpgsqlDbType.Text);
                w.Write(r.CustomerPhone, NpgsqlDbType.Text);
                w.Write(r.DeliveryCounty, NpgsqlDbType.Text);
                w.Write(r.Status, NpgsqlDbType.Text);
                w.Write(r.Total, NpgsqlDbType.Numeric);
                WriteNullable(w, r.IdempotencyKey);
                WriteNullable(w, r.RequestHash);
                w.Write(r.CreatedAt, NpgsqlDbType.TimestampTz);
                w.Write(r.UpdatedAt, NpgsqlDbType.TimestampTz);
                w.Write(r.BuyerId, NpgsqlDbType.Text);
            }, progress, ct);

            await CopyAsync(connection, "order_lines", "order_id, line_no, product_id, quantity, unit_price", data.Orders.SelectMany(o => o.Lines), data.OrderLineCount, static (w, r) =>
            {
                w.Write(r.OrderId, NpgsqlDbType.Bigint);
                w.Write(r.LineNo, NpgsqlDbType.Smallint);
                w.Write(r.ProductId, NpgsqlDbType.Bigint);
                w.Write(r.Quantity, NpgsqlDbType.Integer);
                w.Write(r.UnitPrice, NpgsqlDbType.Numeric);
            }, progress, ct);

            await CopyAsync(connection, "analytics_events", "id, event_type, product_id, business_id, category_id, session_id, query, created_at", data.AnalyticsEvents(), data.Size.AnalyticsEvents, static (w, r) =>
            {
                w.Write(r.Id, NpgsqlDbType.Bigint);
                w.Write(r.EventType, NpgsqlDbType.Text);
                WriteNullable(w, r.ProductId, NpgsqlDbType.Bigint);
                WriteNullable(w, r.BusinessId, NpgsqlDbType.Bigint);
                WriteNullable(w, r.CategoryId, NpgsqlDbType.Integer);
                w.Write(r.SessionId, NpgsqlDbType.Text);
                WriteNullable(w, r.Query);
                w.Write(r.CreatedAt, NpgsqlDbType.TimestampTz);
            }, progress, ct);

            // COPY takes the given ids even for GENERATED ALWAYS columns (it acts as OVERRIDING SYSTEM VALUE).
            await CopyAsync(connection, "outbox_messages", "id, message_type, aggregate_id, payload, occurred_at, published_at, attempts, last_error", data.OutboxMessages(), data.OutboxMessageCount, static (w, r) =>
            {
                w.Write(r.Id, NpgsqlDbType.Bigint);
                w.Write(r.MessageType, NpgsqlDbType.Text);
                w.Write(r.AggregateId, NpgsqlDbType.Bigint);
                w.Write(r.Payload, NpgsqlDbType.Jsonb);
                w.Write(r.OccurredAt, NpgsqlDbType.TimestampTz);
                WriteNullable(w, r.PublishedAt, NpgsqlDbType.TimestampTz);
                w.Write(r.Attempts, NpgsqlDbType.Integer);
                WriteNullable(w, r.LastError);
            }, progress, ct);

            // Explicit ids bypass the identity sequences; move them past the loaded rows.
            foreach (var table in SeededTables.Where(t => t != "order_lines"))
            {
                await ExecuteAsync(connection, $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}", ct);
            }

            await transaction.CommitAsync(ct);
        }

        var stopwatch = Stopwatch.StartNew();
        var steps = SeededTables.Length + MaterializedViews.Length;
        var step = 0;
        progress?.Report(new SeedProgress("analyze+refresh", 0, steps, stopwatch.Elapsed));
        foreach (var table in SeededTables)
        {
            // VACUUM, not only ANALYZE: it sets the visibility map that index-only scans depend on.
            await ExecuteAsync(connection, $"VACUUM (ANALYZE) {table}", ct);
            progress?.Report(new SeedProgress("analyze+refresh", ++step, steps, stopwatch.Elapsed));
        }

        foreach (var view in MaterializedViews)
        {
            await ExecuteAsync(connection, $"REFRESH MATERIALIZED VIEW {view}", ct);
            await ExecuteAsync(connection, $"ANALYZE {view}", ct);
            progress?.Report(new SeedProgress("analyze+refresh", ++step, steps, stopwatch.Elapsed));
        }
    }

    private static async Task CopyAsync<T>(
        NpgsqlConnection connection,
        string table,
        string columns,
        IEnumerable<T> rows,
        long totalRows,
        Action<NpgsqlBinaryImporter, T> writeRow,
        IProgress<SeedProgress>? progress,
        CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        long done = 0;
        progress?.Report(new SeedProgress(table, 0, totalRows, TimeSpan.Zero));
        using var enumerator = rows.GetEnumerator();
        var more = enumerator.MoveNext();
        while (more)
        {
            ct.ThrowIfCancellationRequested();
            await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", ct);
            for (var inBatch = 0; more && inBatch < BatchRows; inBatch++)
            {
                // Synchronous row writes: the importer buffers, and per-value awaits would dominate the cost.
                writer.StartRow();
                writeRow(writer, enumerator.Current);
                if (++done % ReportEveryRows == 0 && done < totalRows)
                {
                    progress?.Report(new SeedProgress(table, done, Math.Max(done, totalRows), stopwatch.Elapsed));
                }

                more = enumerator.MoveNext();
            }

            await writer.CompleteAsync(ct);
        }

        progress?.Report(new SeedProgress(table, done, done, stopwatch.Elapsed));
    }

    private static void WriteNullable(NpgsqlBinaryImporter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void WriteNullable<TValue>(NpgsqlBinaryImporter writer, TValue? value, NpgsqlDbType type)
        where TValue : struct
    {
        if (value is { } present)
        {
            writer.Write(present, type);
        }
        else
        {
            writer.WriteNull();
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        // Large seeds run VACUUM and REFRESH for longer than the default 30 s command timeout.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        // Deliberately on, even where the server defaults to off: VACUUM cannot mark pages all-visible
        // while the inserting commit is asynchronous and unflushed, and index-only scans need those bits.
        await ExecuteAsync(connection, "SET synchronous_commit = on", ct);
        return connection;
    }

    private static async Task EnsureMigratedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT to_regclass('public.analytics_events') IS NOT NULL AND to_regclass('public.mv_daily_platform_stats') IS NOT NULL AND (SELECT count(*) FROM categories WHERE id BETWEEN 1 AND 12) = 12",
            connection);
        try
        {
            if (await command.ExecuteScalarAsync(ct) is true)
            {
                return;
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
        }

        throw new InvalidOperationException("The database is not migrated (schema or the 12 categories are missing); run Hive.Migrator first.");
    }

    private static async Task<bool> IsEmptyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT NOT (EXISTS (SELECT 1 FROM businesses) OR EXISTS (SELECT 1 FROM products) OR EXISTS (SELECT 1 FROM orders))",
            connection);
        return await command.ExecuteScalarAsync(ct) is true;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
