-- Materialized views for dashboards; each has a unique index so REFRESH ... CONCURRENTLY works
-- (readers are never blocked while the metrics service refreshes them).

CREATE MATERIALIZED VIEW mv_business_stats AS
SELECT b.id                                                         AS business_id,
       count(DISTINCT p.id)                                         AS product_count,
       count(DISTINCT p.id) FILTER (WHERE p.status = 'active')      AS active_product_count,
       coalesce(o.order_count, 0)                                   AS order_count,
       coalesce(o.revenue, 0)::numeric(14,2)                        AS revenue,
       o.last_order_at
FROM businesses b
LEFT JOIN products p ON p.business_id = b.id
LEFT JOIN (
    SELECT business_id, count(*) AS order_count,
           sum(total) FILTER (WHERE status <> 'cancelled') AS revenue,
           max(created_at) AS last_order_at
    FROM orders GROUP BY business_id
) o ON o.business_id = b.id
GROUP BY b.id, o.order_count, o.revenue, o.last_order_at;
CREATE UNIQUE INDEX mv_business_stats_pk ON mv_business_stats (business_id);

CREATE MATERIALIZED VIEW mv_category_counts AS
SELECT c.id AS category_id,
       c.name,
       c.slug,
       count(p.id) FILTER (WHERE p.status = 'active') AS active_product_count,
       count(p.id)                                    AS product_count
FROM categories c
LEFT JOIN products p ON p.category_id = c.id
GROUP BY c.id, c.name, c.slug;
CREATE UNIQUE INDEX mv_category_counts_pk ON mv_category_counts (category_id);

CREATE MATERIALIZED VIEW mv_daily_platform_stats AS
SELECT d.day,
       coalesce(o.orders, 0)          AS orders,
       coalesce(o.revenue, 0)::numeric(14,2) AS revenue,
       coalesce(p.new_products, 0)    AS new_products,
       coalesce(e.events, 0)          AS events,
       coalesce(e.searches, 0)        AS searches
FROM (
    SELECT day::date FROM generate_series(
        (SELECT coalesce(least(
            (SELECT min(created_at) FROM orders),
            (SELECT min(created_at) FROM products),
            (SELECT min(created_at) FROM analytics_events)), now())::date),
        now()::date, interval '1 day') AS day
) d
LEFT JOIN (SELECT created_at::date AS day, count(*) AS orders,
                  sum(total) FILTER (WHERE status <> 'cancelled') AS revenue
           FROM orders GROUP BY 1) o USING (day)
LEFT JOIN (SELECT created_at::date AS day, count(*) AS new_products FROM products GROUP BY 1) p USING (day)
LEFT JOIN (SELECT created_at::date AS day, count(*) AS events,
                  count(*) FILTER (WHERE event_type = 'search') AS searches
           FROM analytics_events GROUP BY 1) e USING (day);
CREATE UNIQUE INDEX mv_daily_platform_stats_pk ON mv_daily_platform_stats (day);
