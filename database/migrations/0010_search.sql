-- Full-text search for Search.Api (GET /api/search, /api/search/autocomplete).
--
-- products.search_vector is a weighted document: A product name, B description, C category name,
-- D business name. It uses the 'simple' configuration over unaccented text: no stemming (Swahili and
-- Sheng have no snowball stemmer, and English stems would mangle "kiondo" or "sukuma"), so what is
-- indexed is exactly the lower-case, accent-free words, which the service's prefix queries match.
-- A trigger keeps it current, including when a category or business is renamed.

-- unaccent() is STABLE (it reads its dictionary from search_path); with the dictionary named
-- explicitly it is safe to treat as IMMUTABLE, which expression indexes require.
CREATE OR REPLACE FUNCTION search_unaccent(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, value) $$;

CREATE OR REPLACE FUNCTION search_document(name text, description text, category_name text, business_name text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT setweight(to_tsvector('simple'::regconfig, search_unaccent(lower(coalesce(name, '')))), 'A')
        || setweight(to_tsvector('simple'::regconfig, search_unaccent(lower(coalesce(description, '')))), 'B')
        || setweight(to_tsvector('simple'::regconfig, search_unaccent(lower(coalesce(category_name, '')))), 'C')
        || setweight(to_tsvector('simple'::regconfig, search_unaccent(lower(coalesce(business_name, '')))), 'D')
$$;

-- 'simple' with unaccent in front, for ts_headline over the original (accented, mixed-case) text:
-- highlighting "Kikoí" for the query "kikoi" needs the same folding the document got.
CREATE TEXT SEARCH CONFIGURATION search_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION search_simple
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;

ALTER TABLE products ADD COLUMN search_vector tsvector;

CREATE OR REPLACE FUNCTION products_search_vector_refresh() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.search_vector := search_document(
        NEW.name,
        NEW.description,
        (SELECT c.name FROM categories c WHERE c.id = NEW.category_id),
        (SELECT b.name FROM businesses b WHERE b.id = NEW.business_id));
    RETURN NEW;
END
$$;

CREATE TRIGGER products_search_vector
    BEFORE INSERT OR UPDATE OF name, description, category_id, business_id ON products
    FOR EACH ROW EXECUTE FUNCTION products_search_vector_refresh();

-- A renamed category or business changes the C or D part of its products' documents.
CREATE OR REPLACE FUNCTION products_search_vector_owner_renamed() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_TABLE_NAME = 'categories' THEN
        UPDATE products p SET search_vector = search_document(p.name, p.description, NEW.name,
                   (SELECT b.name FROM businesses b WHERE b.id = p.business_id))
         WHERE p.category_id = NEW.id;
    ELSE
        UPDATE products p SET search_vector = search_document(p.name, p.description,
                   (SELECT c.name FROM categories c WHERE c.id = p.category_id), NEW.name)
         WHERE p.business_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER categories_search_vector
    AFTER UPDATE OF name ON categories
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION products_search_vector_owner_renamed();

CREATE TRIGGER businesses_search_vector
    AFTER UPDATE OF name ON businesses
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION products_search_vector_owner_renamed();

-- Backfill rows that existed before this migration.
UPDATE products p
   SET search_vector = search_document(p.name, p.description, c.name, b.name)
  FROM categories c, businesses b
 WHERE c.id = p.category_id AND b.id = p.business_id;

-- Search: weighted full-text match (search_vector @@ to_tsquery(...)).
CREATE INDEX idx_products_search_vector ON products USING gin (search_vector);
-- Search: typo tolerance, search_unaccent(lower(name)) %> 'samsng' (word_similarity), and autocomplete.
CREATE INDEX idx_products_search_name_trgm ON products USING gin (search_unaccent(lower(name)) gin_trgm_ops);
