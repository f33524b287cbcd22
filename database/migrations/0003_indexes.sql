-- Each index names the query it serves. Checked by the planner tests in tests/Hive.Database.Tests.

-- Composite: listing filtered by status, business and category, newest first.
CREATE INDEX idx_products_listing ON products (status, business_id, category_id, created_at DESC);
-- Composite: price-range filter within a status, sorted by price.
CREATE INDEX idx_products_price_range ON products (status, price, created_at);
-- Composite: a business's orders by status, newest first (seller dashboard).
CREATE INDEX idx_orders_business_status ON orders (business_id, status, created_at DESC);
-- Partial: the storefront's default list (active only, newest first, keyset by id).
CREATE INDEX idx_products_active_only ON products (created_at DESC, id DESC) WHERE status = 'active';
-- Partial: the pending-orders queue.
CREATE INDEX idx_orders_pending ON orders (created_at) WHERE status = 'pending';
-- Covering: product cards of a category answered from the index alone.
CREATE INDEX idx_products_card ON products (category_id, created_at DESC) INCLUDE (id, name, slug, price)
    WHERE status = 'active';
-- BRIN: time-range scans over the append-only events table, tiny on disk.
CREATE INDEX idx_analytics_events_brin ON analytics_events USING brin (created_at) WITH (pages_per_range = 32);

-- Featured strip (partial: a small fraction of products).
CREATE INDEX idx_products_featured ON products (created_at DESC, id DESC) WHERE featured AND status = 'active';
-- A business's products, newest first, keyset by id.
CREATE INDEX idx_products_business ON products (business_id, created_at DESC, id DESC);
-- Price-sorted active list with keyset by id.
CREATE INDEX idx_products_active_price ON products (price, id) WHERE status = 'active';
-- Images of a product in display order.
CREATE INDEX idx_product_images_product ON product_images (product_id, position);
-- Which orders contain a product (stock and popularity).
CREATE INDEX idx_order_lines_product ON order_lines (product_id);
-- Trending: recent events per product.
CREATE INDEX idx_analytics_events_product ON analytics_events (product_id, created_at) WHERE product_id IS NOT NULL;
-- Fuzzy name lookups (typos, prefixes).
CREATE INDEX idx_products_name_trgm ON products USING gin (name gin_trgm_ops);
-- Outbox dispatcher: unpublished rows in order.
CREATE INDEX idx_outbox_unpublished ON outbox_messages (id) WHERE published_at IS NULL;
-- Businesses by county (local discovery).
CREATE INDEX idx_businesses_county ON businesses (county);
-- Sub-categories of a category.
CREATE INDEX idx_categories_parent ON categories (parent_id) WHERE parent_id IS NOT NULL;
