\set n random(0, 1999)
SELECT (ARRAY['samsung','tecno','infinix','kikoi','kiondo','sufuria','jiko','maize','unga','kitenge','shoes','charger','radio','blender','solar','panga','mbegu','sukuma','thermos','lotion'])[1 + :n % 20] AS w, (:n / 100.0)::numeric(12,2) AS minp \gset
BEGIN;
SELECT set_config('pg_trgm.word_similarity_threshold', '0.45', true), set_config('max_parallel_workers_per_gather', '0', true);
WITH matched AS MATERIALIZED (SELECT p.category_id, p.price FROM products p WHERE p.status = 'active' AND p.search_vector @@ search_prefix_query(ARRAY[':w']) LIMIT 5001)
SELECT 0, 0, count(*) FILTER (WHERE m.price >= :minp), count(*) FROM matched m
UNION ALL SELECT 1, m.category_id, count(*), 0 FROM matched m WHERE m.price >= :minp GROUP BY m.category_id
UNION ALL SELECT 2, width_bucket(m.price, ARRAY[500,2000,10000,50000]::numeric[]), count(*), 0 FROM matched m GROUP BY 2;
WITH candidates AS MATERIALIZED (SELECT p.id, p.name, p.description, p.business_id, p.search_vector, p.search_name, p.search_name_words FROM products p WHERE p.status = 'active' AND p.search_vector @@ search_prefix_query(ARRAY[':w']) AND p.price >= :minp LIMIT 500),
hits AS (SELECT p.id, p.name, p.description, p.business_id, round((
    CASE WHEN p.search_name_words = ':w' THEN 10 ELSE 0 END
  + CASE WHEN starts_with(p.search_name, ':w') THEN 2 ELSE 0 END
  + 4 * ts_rank('{0.1, 0.2, 0.4, 1.0}', p.search_vector, search_prefix_query(ARRAY[':w']))
  + word_similarity(':w', p.search_name))::numeric, 6) AS relevance FROM candidates p),
page AS (SELECT * FROM hits ORDER BY relevance DESC, id LIMIT 21)
SELECT id, (SELECT b.name FROM businesses b WHERE b.id = page.business_id), ts_headline('search_simple', name, search_prefix_query(ARRAY[':w']), 'HighlightAll=true'), ts_headline('search_simple', description, search_prefix_query(ARRAY[':w']), 'MaxWords=24, MinWords=10, MaxFragments=1') FROM page ORDER BY relevance DESC, id;
COMMIT;
