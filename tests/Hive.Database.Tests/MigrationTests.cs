using Hive.Migrator;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hive.Database.Tests;

[Collection(MarketplaceDatabaseCollection.Name)]
public sealed class MigrationTests(MarketplaceDatabase database)
{
    private static readonly string[] Tables =
        ["businesses", "categories", "products", "product_images", "orders", "order_lines", "analytics_events", "outbox_messages"];

    private static readonly string[] MaterializedViews = ["mv_business_stats", "mv_category_counts", "mv_daily_platform_stats", "mv_search_autocomplete"];

    [Fact]
    public async Task EnsureDatabaseCreatesAMissingDatabaseAndMigrationsApplyToIt()
    {
        var existing = new NpgsqlConnectionStringBuilder(await database.CreateDatabaseAsync("scratch"));
        var target = new NpgsqlConnectionStringBuilder(existing.ConnectionString) { Database = existing.Database + "_new" };

        await DatabaseMigrator.EnsureDatabaseAsync(target.ConnectionString, NullLogger.Instance);
        await DatabaseMigrator.EnsureDatabaseAsync(target.ConnectionString, NullLogger.Instance);
        var applied = DatabaseMigrator.Migrate(target.ConnectionString, NullLogger.Instance);

        Assert.True(applied >= 4, $"expected every script to apply to a new database, applied {applied}");
    }

    [Fact]
    public void MigratingASecondTimeAppliesNothing()
    {
        Assert.True(database.ScriptsAppliedOnFirstRun >= 4);

        var applied = DatabaseMigrator.Migrate(database.ConnectionString, NullLogger.Instance);

        Assert.Equal(0, applied);
    }

    [Fact]
    public async Task EveryTableAndMaterializedViewExists()
    {
        foreach (var relation in Tables.Concat(MaterializedViews))
        {
            Assert.True(await database.ScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", relation), $"{relation} is missing");
        }
    }

    [Fact]
    public async Task EveryNamedIndexExists()
    {
        var indexes = await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'idx\\_%'");

        Assert.True(indexes >= 17, $"expected the 17 indexes of 0003, found {indexes}");
        foreach (var name in new[] { "idx_products_listing", "idx_products_card", "idx_analytics_events_brin", "idx_products_name_trgm", "idx_outbox_unpublished" })
        {
            Assert.True(await database.ScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", name), $"{name} is missing");
        }
    }

    [Fact]
    public async Task MaterializedViewsRefreshConcurrentlyWithoutBlockingReaders()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        foreach (var view in MaterializedViews)
        {
            await using var refresh = new NpgsqlCommand($"REFRESH MATERIALIZED VIEW CONCURRENTLY {view}", connection);
            await refresh.ExecuteNonQueryAsync();
        }

        Assert.Equal(
            await database.ScalarAsync<long>("SELECT count(*) FROM businesses"),
            await database.ScalarAsync<long>("SELECT count(*) FROM mv_business_stats"));
        Assert.Equal(12L, await database.ScalarAsync<long>("SELECT count(*) FROM mv_category_counts"));
        Assert.Equal(
            await database.ScalarAsync<long>("SELECT count(*) FROM analytics_events"),
            await database.ScalarAsync<decimal>("SELECT sum(events) FROM mv_daily_platform_stats"));
    }

    [Fact]
    public async Task AProductsSearchDocumentIsRecomputedWhenItsWordsChangeAndNotWhenOnlyItsPriceDoes()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("searchdoc");
        var product = await MarketplaceDatabase.ScalarAsync<long>(connectionString, """
            WITH b AS (INSERT INTO businesses (name, slug, county) VALUES ('Mama Duka', 'mama-duka', 'Nairobi') RETURNING id),
                 c AS (INSERT INTO categories (name, slug) VALUES ('Nguo', 'nguo') RETURNING id)
            INSERT INTO products (business_id, category_id, name, slug, price)
            SELECT b.id, c.id, 'Kanga', 'kanga', 500 FROM b, c RETURNING id
            """);
        Assert.Contains("'kanga':1A", await MarketplaceDatabase.ScalarAsync<string>(connectionString, "SELECT search_vector::text FROM products WHERE id = $1", product), StringComparison.Ordinal);
        // A marker no trigger would write: it stays only as long as nothing recomputes the document.
        await MarketplaceDatabase.ScalarAsync<int>(connectionString, "UPDATE products SET search_vector = 'marker'::tsvector WHERE id = $1 RETURNING 1", product);

        // As catalog's update writes it: every column named, only the price given.
        const string update = """
            UPDATE products SET name = coalesce($2, name), description = coalesce($3, description),
                   category_id = coalesce($4, category_id), price = coalesce($5, price)
            WHERE id = $1 RETURNING search_vector::text
            """;
        var afterPrice = await MarketplaceDatabase.ScalarAsync<string>(connectionString, update, product, DBNull.Value, DBNull.Value, DBNull.Value, 12_345m);
        var afterRename = await MarketplaceDatabase.ScalarAsync<string>(connectionString, update, product, "Kikoí Zanzibari", DBNull.Value, DBNull.Value, DBNull.Value);

        Assert.Equal("'marker'", afterPrice);
        Assert.Contains("'kikoi':1A", afterRename, StringComparison.Ordinal);
        Assert.Contains("'zanzibari':2A", afterRename, StringComparison.Ordinal);
        Assert.DoesNotContain("marker", afterRename, StringComparison.Ordinal);
    }
}
