-- mv_search_autocomplete (0050) folded every active product's name with search_unaccent(lower(name))
-- twice per refresh: once to find its words and once per (prefix, product) pair to rank the candidates,
-- about two million calls on the large seed. The folded name is a stored column since 0053, so the view
-- reads it instead. Same rows (checked on the large seed: the two definitions differ in no row); the
-- refresh, which the metrics service runs every few minutes, went from 5.3 to 3.6 s there (issue 17).
DROP MATERIALIZED VIEW mv_search_autocomplete;

CREATE MATERIALIZED VIEW mv_search_autocomplete AS
WITH prefixes AS (
    SELECT DISTINCT p.id, left(w.lexeme, n.len) AS prefix
    FROM products p
    CROSS JOIN LATERAL unnest(to_tsvector('simple'::regconfig, p.search_name)) w
    CROSS JOIN LATERAL generate_series(3, length(w.lexeme)) n(len)
    WHERE p.status = 'active'
), common AS (
    SELECT prefix FROM prefixes GROUP BY prefix HAVING count(*) >= 500
), ranked AS (
    SELECT x.prefix, p.id,
           row_number() OVER (PARTITION BY x.prefix
                              ORDER BY starts_with(p.search_name, x.prefix) DESC, p.featured DESC, p.id) AS rank
    FROM prefixes x
    JOIN common c USING (prefix)
    JOIN products p ON p.id = x.id
)
SELECT prefix, array_agg(id ORDER BY rank) AS candidates
FROM ranked
WHERE rank <= 200
GROUP BY prefix;

CREATE UNIQUE INDEX mv_search_autocomplete_pk ON mv_search_autocomplete (prefix);
ALTER MATERIALIZED VIEW mv_search_autocomplete OWNER TO hive_views;
GRANT SELECT ON mv_search_autocomplete TO hive_search;
