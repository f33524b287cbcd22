-- Autocomplete candidates of the common name-word prefixes, precomputed (issue 17). A prefix such as
-- "siz" matches ~11,000 products of the large seed, and picking the 200 best candidates (name starting
-- with it, then featured, then id) read and sorted every one of them on each keystroke (p50 ~44 ms, p99
-- ~300 ms). Here each prefix (3 characters or more) of an A-weight lexeme, the words search_prefix_query
-- matches with 'A', that at least 500 active products share gets those same 200 candidates in the same
-- order; Search.Api reads them for a one-term text and rechecks status and match live, and still ranks
-- them by this month's popularity when asked. Rarer prefixes and several terms stay on the live query
-- (fast: few matches). The metrics service refreshes the view CONCURRENTLY with the others, so a product
-- that became a candidate since the last refresh shows up at the next one (a few minutes).
CREATE MATERIALIZED VIEW mv_search_autocomplete AS
WITH prefixes AS (
    SELECT DISTINCT p.id, left(w.lexeme, n.len) AS prefix
    FROM products p
    CROSS JOIN LATERAL unnest(to_tsvector('simple'::regconfig, search_unaccent(lower(p.name)))) w
    CROSS JOIN LATERAL generate_series(3, length(w.lexeme)) n(len)
    WHERE p.status = 'active'
), common AS (
    SELECT prefix FROM prefixes GROUP BY prefix HAVING count(*) >= 500
), ranked AS (
    SELECT x.prefix, p.id,
           row_number() OVER (PARTITION BY x.prefix
                              ORDER BY starts_with(search_unaccent(lower(p.name)), x.prefix) DESC, p.featured DESC, p.id) AS rank
    FROM prefixes x
    JOIN common c USING (prefix)
    JOIN products p ON p.id = x.id
)
SELECT prefix, array_agg(id ORDER BY rank) AS candidates
FROM ranked
WHERE rank <= 200
GROUP BY prefix;

-- REFRESH ... CONCURRENTLY needs a unique index; the lookup is by prefix.
CREATE UNIQUE INDEX mv_search_autocomplete_pk ON mv_search_autocomplete (prefix);

-- Like the other views (0040_service_roles.sql): owned by hive_views so metrics can refresh it, read by search.
ALTER MATERIALIZED VIEW mv_search_autocomplete OWNER TO hive_views;
GRANT SELECT ON mv_search_autocomplete TO hive_search;
