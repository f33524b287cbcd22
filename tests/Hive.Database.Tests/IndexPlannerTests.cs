namespace Hive.Database.Tests;

/// <summary>
/// Each index in migration 0003 names the query it serves; these ask the planner (on realistic data,
/// freshly analyzed, with default planner settings) whether it really uses the index for that query.
/// An index the planner never picks costs every write and buys nothing.
/// </summary>
[Collection(MarketplaceDatabaseCollection.Name)]
public sealed class IndexPlannerTests(MarketplaceDatabase database)
{
    [Fact]
    public async Task ListingQueryUsesTheCompositeListingIndex()
    {
        var (businessId, categoryId) = await BusiestBusinessAndCategoryAsync();

        var plan = await ExplainAsync(
            "SELECT * FROM products WHERE status = 'active' AND business_id = $1 AND category_id = $2 ORDER BY created_at DESC LIMIT 20",
            businessId,
            categoryId);

        plan.AssertUses("idx_products_listing");
    }

    [Fact]
    public async Task PriceRangeFilterSortedByPriceUsesThePriceRangeIndex()
    {
        var plan = await ExplainAsync(
            "SELECT * FROM products WHERE status = 'active' AND price BETWEEN $1 AND $2 ORDER BY price LIMIT 20",
            1_000m,
            1_500m);

        plan.AssertUses("idx_products_price_range");
    }

    [Fact]
    public async Task SellerOrdersByStatusUseTheBusinessStatusIndex()
    {
        var businessId = await database.ScalarAsync<long>("SELECT business_id FROM orders GROUP BY business_id ORDER BY count(*) DESC LIMIT 1");

        var plan = await ExplainAsync(
            "SELECT * FROM orders WHERE business_id = $1 AND status = $2 ORDER BY created_at DESC LIMIT 20",
            businessId,
            "delivered");

        plan.AssertUses("idx_orders_business_status");
    }

    [Fact]
    public async Task StorefrontNewestFirstUsesThePartialActiveIndex()
    {
        var plan = await ExplainAsync("SELECT * FROM products WHERE status = 'active' ORDER BY created_at DESC, id DESC LIMIT 20");

        plan.AssertUses("idx_products_active_only");
    }

    [Fact]
    public async Task StorefrontNextPageByKeysetUsesThePartialActiveIndex()
    {
        var (createdAt, id) = await MiddleActiveProductAsync();

        var plan = await ExplainAsync(
            "SELECT * FROM products WHERE status = 'active' AND (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 20",
            createdAt,
            id);

        plan.AssertUses("idx_products_active_only");
    }

    [Fact]
    public async Task PendingOrdersQueueUsesThePartialPendingIndex()
    {
        var plan = await ExplainAsync("SELECT * FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 50");

        plan.AssertUses("idx_orders_pending");
    }

    [Fact]
    public async Task CategoryCardsAreAnsweredFromTheCoveringIndexAlone()
    {
        var plan = await ExplainAsync(
            "SELECT id, name, slug, price FROM products WHERE status = 'active' AND category_id = $1 ORDER BY created_at DESC LIMIT 20",
            3);

        plan.AssertUses("idx_products_card", "Index Only Scan");
    }

    [Fact]
    public async Task EventCountForAWeekUsesTheBrinIndex()
    {
        // Realistic data only, no enable_seqscan tricks: events arrive in time order, so a week is
        // ~8% of the table's blocks and the BRIN summary rules out the rest.
        var anchor = MarketplaceDatabase.Options.Anchor;

        var plan = await ExplainAsync(
            "SELECT count(*) FROM analytics_events WHERE created_at >= $1 AND created_at < $2",
            anchor.AddDays(-14),
            anchor.AddDays(-7));

        plan.AssertUses("idx_analytics_events_brin", "Bitmap Index Scan");
    }

    [Fact]
    public async Task FeaturedStripUsesThePartialFeaturedIndex()
    {
        var plan = await ExplainAsync("SELECT * FROM products WHERE featured AND status = 'active' ORDER BY created_at DESC, id DESC LIMIT 20");

        plan.AssertUses("idx_products_featured");
    }

    [Fact]
    public async Task BusinessProductsNewestFirstUseTheBusinessIndex()
    {
        var (businessId, _) = await BusiestBusinessAndCategoryAsync();

        var plan = await ExplainAsync("SELECT * FROM products WHERE business_id = $1 ORDER BY created_at DESC, id DESC LIMIT 20", businessId);

        plan.AssertUses("idx_products_business");
    }

    [Fact]
    public async Task PriceSortedActiveListWithKeysetUsesTheActivePriceIndex()
    {
        var plan = await ExplainAsync(
            "SELECT * FROM products WHERE status = 'active' AND (price, id) > ($1, $2) ORDER BY price, id LIMIT 20",
            1_000m,
            500L);

        plan.AssertUses("idx_products_active_price");
    }

    [Fact]
    public async Task PriceSortedActiveFirstPageUsesTheActivePriceIndex()
    {
        var plan = await ExplainAsync("SELECT * FROM products WHERE status = 'active' ORDER BY price, id LIMIT 20");

        plan.AssertUses("idx_products_active_price");
    }

    [Fact]
    public async Task RecentEventsOfAProductUseTheProductEventsIndex()
    {
        var productId = await database.ScalarAsync<long>("SELECT product_id FROM analytics_events WHERE product_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");

        var plan = await ExplainAsync(
            "SELECT count(*) FROM analytics_events WHERE product_id = $1 AND created_at >= $2",
            productId,
            MarketplaceDatabase.Options.Anchor.AddDays(-7));

        plan.AssertUses("idx_analytics_events_product");
    }

    [Fact]
    public async Task FuzzyNameSearchUsesTheTrigramIndex()
    {
        var plan = await ExplainAsync("SELECT id, name FROM products WHERE name ILIKE $1", "%galax%");

        plan.AssertUses("idx_products_name_trgm");
    }

    [Fact]
    public async Task OutboxDispatcherFindsUnpublishedRowsThroughThePartialIndex()
    {
        var plan = await ExplainAsync("SELECT * FROM outbox_messages WHERE published_at IS NULL ORDER BY id LIMIT 100");

        plan.AssertUses("idx_outbox_unpublished");
    }

    [Fact]
    public async Task ProductGalleryUsesTheImagesByProductIndex()
    {
        var plan = await ExplainAsync("SELECT * FROM product_images WHERE product_id = $1 ORDER BY position", 1234L);

        plan.AssertUses("idx_product_images_product");
    }

    [Fact]
    public async Task OrdersContainingAProductUseTheOrderLinesProductIndex()
    {
        var plan = await ExplainAsync("SELECT order_id FROM order_lines WHERE product_id = $1", 1234L);

        plan.AssertUses("idx_order_lines_product");
    }

    private Task<QueryPlan> ExplainAsync(string sql, params object[] parameters) => QueryPlan.ExplainAsync(database.ConnectionString, sql, parameters);

    private async Task<(long BusinessId, int CategoryId)> BusiestBusinessAndCategoryAsync()
    {
        var businessId = await database.ScalarAsync<long>("SELECT business_id FROM products WHERE status = 'active' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1");
        var categoryId = await database.ScalarAsync<int>(
            "SELECT category_id FROM products WHERE status = 'active' AND business_id = $1 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
            businessId);
        return (businessId, categoryId);
    }

    private async Task<(DateTime CreatedAt, long Id)> MiddleActiveProductAsync()
    {
        var id = await database.ScalarAsync<long>("SELECT id FROM products WHERE status = 'active' ORDER BY id OFFSET (SELECT count(*) / 2 FROM products) LIMIT 1");
        var createdAt = await database.ScalarAsync<DateTime>("SELECT created_at FROM products WHERE id = $1", id);
        return (createdAt, id);
    }
}
