-- Orders belong to buyers (issue 10.2) and stock is reserved by orders (issue 16.1).
--
-- buyer_id is the token subject of the buyer who placed the order. Orders from before this migration
-- (and seeded ones without a buyer) have none: only their seller sees them.
ALTER TABLE orders ADD COLUMN buyer_id text;

-- An Idempotency-Key is the buyer's own: the same key from two buyers is two orders. A key that has
-- expired is released by clearing it on the old order, so the pair stays unique.
ALTER TABLE orders DROP CONSTRAINT orders_idempotency_key_key;
CREATE UNIQUE INDEX ux_orders_buyer_idempotency_key ON orders (buyer_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- Keyset pages of a buyer's orders and of a business's orders, newest first.
CREATE INDEX idx_orders_buyer_created ON orders (buyer_id, created_at DESC, id DESC) WHERE buyer_id IS NOT NULL;
CREATE INDEX idx_orders_business_created ON orders (business_id, created_at DESC, id DESC);
