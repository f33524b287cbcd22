using Hive.Seeding;
using Npgsql;

namespace Hive.Database.Tests;

[Collection(MarketplaceDatabaseCollection.Name)]
public sealed class DatabaseSeederTests(MarketplaceDatabase database)
{
    private static readonly SeedSize Tiny = new("tiny", 20, 500, 200, 2_000);
    private static readonly DateTime Anchor = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Order-sensitive fingerprints of the seeded tables.</summary>
    private const string Checksum = """
        SELECT md5((SELECT string_agg(b::text, '|' ORDER BY id) FROM businesses b)
                || (SELECT string_agg(p::text, '|' ORDER BY id) FROM products p)
                || (SELECT string_agg(o::text, '|' ORDER BY id) FROM orders o)
                || (SELECT string_agg(l::text, '|' ORDER BY order_id, line_no) FROM order_lines l)
                || (SELECT string_agg(e::text, '|' ORDER BY id) FROM analytics_events e))
        """;

    [Fact]
    public async Task SmallSeedLoadsTheExpectedCounts()
    {
        var size = SeedSize.Small;
        var expected = new SeedDataGenerator(MarketplaceDatabase.Options);

        Assert.Equal((long)size.Businesses, await database.ScalarAsync<long>("SELECT count(*) FROM businesses"));
        Assert.Equal((long)size.Products, await database.ScalarAsync<long>("SELECT count(*) FROM products"));
        Assert.Equal((long)size.Orders, await database.ScalarAsync<long>("SELECT count(*) FROM orders"));
        Assert.Equal((long)size.AnalyticsEvents, await database.ScalarAsync<long>("SELECT count(*) FROM analytics_events"));
        Assert.Equal(expected.ProductImageCount, await database.ScalarAsync<long>("SELECT count(*) FROM product_images"));
        Assert.Equal(expected.OrderLineCount, await database.ScalarAsync<long>("SELECT count(*) FROM order_lines"));
        Assert.Equal((long)expected.OutboxMessageCount, await database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM orders WHERE status = 'pending'") > 0);
        Assert.Equal(12L, await database.ScalarAsync<long>("SELECT count(DISTINCT category_id) FROM products"));
    }

    [Fact]
    public async Task EverySeededImageCarriesItsPlaceholderInCatalogAndInMediaFromTheStart()
    {
        var images = new SeedDataGenerator(MarketplaceDatabase.Options).ProductImageCount;

        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM product_images WHERE placeholder IS NULL OR placeholder = ''"));
        Assert.Equal(images, await database.ScalarAsync<long>(
            """
            SELECT count(*) FROM media_images m JOIN product_images i ON i.media_image_id = m.id
            WHERE m.placeholder = i.placeholder AND m.blurhash <> '' AND m.bytes > 0 AND m.storage_key LIKE 'demo/%'
            """));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM product_images i WHERE i.product_id = p.id)"));
    }

    [Fact]
    public async Task SeededDatabaseIsVacuumedSoIndexOnlyScansNeedNoHeapVisits()
    {
        var allVisible = await database.ScalarAsync<bool>("SELECT relallvisible >= relpages * 0.99 FROM pg_class WHERE relname = 'products'");

        Assert.True(allVisible, "products should be all-visible after seeding");
    }

    [Fact]
    public async Task SameSeedLoadsIdenticalDataAndAnotherSeedDoesNot()
    {
        var first = await SeededAsync("same_a", 5);
        var second = await SeededAsync("same_b", 5);
        var other = await SeededAsync("other", 6);

        var checksum = await MarketplaceDatabase.ScalarAsync<string>(first, Checksum);
        Assert.Equal(checksum, await MarketplaceDatabase.ScalarAsync<string>(second, Checksum));
        Assert.NotEqual(checksum, await MarketplaceDatabase.ScalarAsync<string>(other, Checksum));
    }

    [Fact]
    public async Task IdentitySequencesContinueAfterTheSeededIds()
    {
        var connectionString = await SeededAsync("sequences", 1);

        var businessId = await MarketplaceDatabase.ScalarAsync<long>(connectionString, "INSERT INTO businesses (name, slug, county) VALUES ('Zawadi Crafts', 'zawadi-crafts', 'Kisumu') RETURNING id");
        var productId = await MarketplaceDatabase.ScalarAsync<long>(connectionString, "INSERT INTO products (business_id, category_id, name, slug, price) VALUES ($1, 12, 'Kiondo', 'kiondo-new', 1500) RETURNING id", businessId);
        var outboxId = await MarketplaceDatabase.ScalarAsync<long>(connectionString, "INSERT INTO outbox_messages (message_type, aggregate_id, payload) VALUES ('ProductChanged', $1, '{}') RETURNING id", productId);

        Assert.Equal(Tiny.Businesses + 1L, businessId);
        Assert.Equal(Tiny.Products + 1L, productId);
        Assert.Equal(Math.Max(50, Tiny.Products / 20) + 1L, outboxId);
    }

    [Fact]
    public async Task SeedIfEmptySeedsOnceWhenTwoCallersRace()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("race");
        var options = new SeedOptions(Tiny, 9) { Anchor = Anchor };

        var results = await Task.WhenAll(
            Task.Run(() => DatabaseSeeder.SeedIfEmptyAsync(connectionString, options, null, CancellationToken.None)),
            Task.Run(() => DatabaseSeeder.SeedIfEmptyAsync(connectionString, options, null, CancellationToken.None)));

        Assert.Single(results, seeded => seeded);
        Assert.Equal((long)Tiny.Products, await MarketplaceDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM products"));
        Assert.False(await DatabaseSeeder.SeedIfEmptyAsync(connectionString, options, null, CancellationToken.None));
    }

    [Fact]
    public async Task SeedingANonEmptyDatabaseIsRefused()
    {
        var connectionString = await SeededAsync("refused", 1);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => DatabaseSeeder.SeedAsync(connectionString, new SeedOptions(Tiny, 1) { Anchor = Anchor }, null, CancellationToken.None));
    }

    [Fact]
    public async Task SeedingAnUnmigratedDatabaseIsRefused()
    {
        var connectionString = await database.CreateDatabaseAsync("unmigrated");

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => DatabaseSeeder.SeedAsync(connectionString, Tiny, 1, null, CancellationToken.None));
    }

    [Fact]
    public async Task ACancelledSeedLeavesTheDatabaseEmpty()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("cancelled");
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAtTable("orders", cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => DatabaseSeeder.SeedAsync(connectionString, new SeedOptions(Tiny, 1) { Anchor = Anchor }, progress, cancel.Token));

        NpgsqlConnection.ClearAllPools();
        Assert.Equal(0L, await MarketplaceDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM products"));
    }

    [Fact]
    public async Task ProgressReportsEveryTableToCompletion()
    {
        var connectionString = await database.CreateMigratedDatabaseAsync("progress");
        var reports = new List<SeedProgress>();
        var writer = new StringWriter();
        var console = new ConsoleSeedProgress(writer);

        await DatabaseSeeder.SeedAsync(connectionString, new SeedOptions(Tiny, 1) { Anchor = Anchor }, new Both(reports, console), CancellationToken.None);

        var completed = reports.Where(r => r.Completed).Select(r => r.Table).Distinct().ToList();
        Assert.Equal(["businesses", "products", "product_images", "orders", "order_lines", "analytics_events", "outbox_messages", "analyze+refresh"], completed);
        Assert.Contains("rows/s", writer.ToString(), StringComparison.Ordinal);
        Assert.Contains("100 %", writer.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> SeededAsync(string prefix, int seed)
    {
        var connectionString = await database.CreateMigratedDatabaseAsync(prefix);
        await DatabaseSeeder.SeedAsync(connectionString, new SeedOptions(Tiny, seed) { Anchor = Anchor }, null, CancellationToken.None);
        return connectionString;
    }

    private sealed class CancelAtTable(string table, CancellationTokenSource cancel) : IProgress<SeedProgress>
    {
        public void Report(SeedProgress value)
        {
            if (value.Table == table)
            {
                cancel.Cancel();
            }
        }
    }

    private sealed class Both(List<SeedProgress> reports, IProgress<SeedProgress> console) : IProgress<SeedProgress>
    {
        public void Report(SeedProgress value)
        {
            reports.Add(value);
            console.Report(value);
        }
    }
}
