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
}
