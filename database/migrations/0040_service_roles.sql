-- One Postgres role per service with only the grants it needs; the migrator's login (the owner) alone
-- creates, alters and owns the schema. The roles are created without LOGIN: the migrator gives each a
-- password and LOGIN when it is told one (Hive:DatabaseRoles:<service>), which the AppHost does from a
-- secret parameter. A later migration that adds a table grants it here-style, to its one service.
--
-- Roles belong to the whole server, not to this database: tests migrate many databases on one server at
-- once, so creating a role that another migration just created is not an error.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['hive_catalog', 'hive_search', 'hive_media', 'hive_metrics', 'hive_identity', 'hive_views']
    LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', name);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END LOOP;
END
$$;

-- Nobody but the owner creates objects in public (already the default since PostgreSQL 15).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO hive_catalog, hive_search, hive_media, hive_metrics, hive_identity', current_database());
END
$$;

GRANT USAGE ON SCHEMA public TO hive_catalog, hive_search, hive_media, hive_metrics, hive_identity, hive_views;

-- Catalog writes products, their images (as media announces them), orders and the outbox; it reads the rest
-- it shows (businesses, categories, category counts, analytics for trending without Redis).
GRANT SELECT, INSERT, UPDATE, DELETE ON products, product_images, orders, order_lines, outbox_messages TO hive_catalog;
GRANT SELECT ON businesses, categories, analytics_events, mv_category_counts TO hive_catalog;

-- Search only reads (product_images for the first image on each hit).
GRANT SELECT ON products, product_images, categories, businesses, analytics_events TO hive_search;

-- Media writes its own images and their announcements (media_outbox), and reads who owns a product.
GRANT SELECT, INSERT, UPDATE, DELETE ON media_images, media_outbox TO hive_media;
GRANT SELECT ON products TO hive_media;

-- Metrics stores analytics (binary COPY needs INSERT) and reads and refreshes the materialized views.
-- REFRESH needs the view's owner, so the views belong to hive_views (which can read only what they
-- aggregate) and metrics is a member; pg_read_all_stats lets it read pg_stat_statements for every role.
GRANT SELECT, INSERT ON analytics_events TO hive_metrics;
GRANT SELECT ON businesses, categories, products, orders, analytics_events TO hive_views;
ALTER MATERIALIZED VIEW mv_business_stats OWNER TO hive_views;
ALTER MATERIALIZED VIEW mv_category_counts OWNER TO hive_views;
ALTER MATERIALIZED VIEW mv_daily_platform_stats OWNER TO hive_views;
DO $$
BEGIN
    GRANT hive_views TO hive_metrics;
    GRANT pg_read_all_stats TO hive_metrics;
EXCEPTION WHEN unique_violation THEN
    -- Another database's migration granted it at the same moment.
    NULL;
END
$$;

-- Identity owns its schema's rows (users, roles, OpenIddict's clients and tokens) and reads businesses
-- to bind a seller to one.
GRANT USAGE ON SCHEMA identity TO hive_identity;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA identity TO hive_identity;
GRANT SELECT ON businesses TO hive_identity;
