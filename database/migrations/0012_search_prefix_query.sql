-- The prefix tsquery of a search, built where it is used: after unaccent. The service hands over
-- letter-and-digit terms only, but unaccent turns some letters into tsquery syntax (the modifier letter
-- apostrophe U+02BC, and so "ŉ", becomes a quote), which made to_tsquery reject the text (a 500). Here
-- quotes and backslashes that unaccent produced become spaces inside the quoted lexeme and terms left
-- blank are dropped, so Postgres cannot reject the query whatever the terms are.
-- weights is a constant of the service ('' or a weight letter such as 'A').
CREATE OR REPLACE FUNCTION search_prefix_query(terms text[], weights text DEFAULT '')
    RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT to_tsquery('simple'::regconfig, coalesce(string_agg('''' || cleaned || ''':*' || weights, ' & '), ''))
    FROM (
        SELECT btrim(regexp_replace(public.search_unaccent(term), '[''\\]+', ' ', 'g')) AS cleaned
        FROM unnest(terms) AS term
    ) t
    WHERE cleaned <> ''
$$;
