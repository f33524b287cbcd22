\set i random(1, 100)
SELECT (ARRAY['siz','1kg','set','cha','pac','uni','fre','bra','blu','car','bea','bla','the','bab','ref','acr','for','sta','new','100','500','jer','oil','dut','hea','sma','san','soa','ori','sil','boo','gal','sam','kit','lar','mah','fam','64g','128','pan','dia','2kg','pap','sav','inc','toy','gre','han','sch','bod','box','who','org','tec','pad','inf','ram','hai','pre','blo','far','bat','dre','shi','kio','kik','maa','kis','red','pai','bas','cov','can','sun','mat','mou','and','wat','qua','dai','gas','50k','fer','coo','70k','cam','vit','cer','ung','edi','sol','gra','ene','wit','war','hot','tra','spa','nat','pro'])[:i] AS pre \gset
SELECT ((SELECT candidates FROM mv_search_autocomplete WHERE prefix = ':pre') IS NOT NULL)::int AS found,
       coalesce((SELECT candidates FROM mv_search_autocomplete WHERE prefix = ':pre'), '{}') AS cand \gset
\if :found
SELECT c.id, c.name, c.name_starts, pop.n
FROM (
    SELECT p.id, p.name, starts_with(search_unaccent(lower(p.name)), ':pre') AS name_starts
    FROM unnest(':cand'::bigint[]) AS candidate(id)
    JOIN products p ON p.id = candidate.id
    WHERE p.status = 'active' AND p.search_vector @@ search_prefix_query(ARRAY[':pre'], 'A')
) c
CROSS JOIN LATERAL (
    SELECT count(*) AS n FROM analytics_events e
    WHERE e.product_id = c.id AND e.created_at > now() - interval '30 days'
) pop
ORDER BY c.name_starts DESC, pop.n DESC, c.id
LIMIT 8;
\else
SELECT c.id, c.name, c.name_starts, pop.n
FROM (
    SELECT p.id, p.name, starts_with(search_unaccent(lower(p.name)), ':pre') AS name_starts
    FROM products p
    WHERE p.status = 'active' AND p.search_vector @@ search_prefix_query(ARRAY[':pre'], 'A')
    ORDER BY name_starts DESC, p.featured DESC, p.id
    LIMIT 200
) c
CROSS JOIN LATERAL (
    SELECT count(*) AS n FROM analytics_events e
    WHERE e.product_id = c.id AND e.created_at > now() - interval '30 days'
) pop
ORDER BY c.name_starts DESC, pop.n DESC, c.id
LIMIT 8;
\endif
