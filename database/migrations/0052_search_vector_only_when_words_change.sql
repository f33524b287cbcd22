-- products.search_vector was recomputed on every UPDATE that named name, description, category_id or
-- business_id, and catalog's product update names them all (SET name = coalesce($4, name), ...): a price or
-- stock change unaccented and tokenised the whole document again (about eleven unaccent calls per update,
-- measured with pg_stat_statements under `Hive.Bench invalidation`). Now an update recomputes it only when
-- one of those columns really changed; inserts always compute it.
DROP TRIGGER products_search_vector ON products;

CREATE TRIGGER products_search_vector_insert
    BEFORE INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION products_search_vector_refresh();

CREATE TRIGGER products_search_vector_update
    BEFORE UPDATE OF name, description, category_id, business_id ON products
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name
          OR OLD.description IS DISTINCT FROM NEW.description
          OR OLD.category_id IS DISTINCT FROM NEW.category_id
          OR OLD.business_id IS DISTINCT FROM NEW.business_id)
    EXECUTE FUNCTION products_search_vector_refresh();
