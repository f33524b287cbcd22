-- Search ranked each candidate with search_unaccent(lower(name)) computed three times and a regexp over
-- it once (relevance in Search.Api's SearchQueries, and name_starts in autocomplete): about 9 µs a row,
-- ~5 ms of a relevance-sorted page over its 500 candidates (EXPLAIN ANALYZE on the large seed, issue 17
-- point 5). The folded name and its words are now stored once, when the name is written.
-- search_unaccent is IMMUTABLE (0010_search.sql), so the columns can be generated. Adding them rewrites
-- products (about 7 s for 200,000 rows at load 2, under an exclusive lock).
ALTER TABLE products
    ADD COLUMN search_name text GENERATED ALWAYS AS (search_unaccent(lower(name))) STORED,
    ADD COLUMN search_name_words text GENERATED ALWAYS AS (btrim(regexp_replace(search_unaccent(lower(name)), '[^[:alnum:]]+', ' ', 'g'))) STORED;
