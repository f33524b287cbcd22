using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Search.Api.Model;
using Search.Api.Querying;

namespace Search.Api.Data;

/// <summary>
/// The SQL of search and autocomplete over <c>products.search_vector</c> (database/migrations/0010_search.sql).
/// A product matches when every term matches a word prefix of its weighted document, or when the
/// terms are close to its name by trigram word similarity (typos). Only constant SQL fragments vary;
/// every value is a parameter.
/// </summary>
internal sealed class SearchQueries(DatabaseGuard dataSource, IOptions<SearchOptions> options)
{
    /// <summary>KES lower bounds of the price facet buckets after the first (which starts at 0).</summary>
    public static readonly decimal[] PriceBucketBounds = [500m, 2_000m, 10_000m, 50_000m];

    // Matches are marked with control characters that HTML escaping leaves alone, then turned into
    // <mark> after the product text is escaped: a product name can never inject markup.
    private const char MarkStart = '\u0002';
    private const char MarkEnd = '\u0003';
    private const string NameHeadlineOptions = "HighlightAll=true, StartSel=\u0002, StopSel=\u0003";
    private const string SnippetHeadlineOptions = "MaxWords=24, MinWords=10, MaxFragments=1, FragmentDelimiter=\" … \", StartSel=\u0002, StopSel=\u0003";

    // Full text first: the GIN match alone is cheap. The trigram side (typos) is added only when full text
    // matches too little (SearchOptions.TypoFallbackBelow), decided on the unfiltered full-text count so every
    // page and every filter of one text uses the same match.
    private const string FullTextMatch = """
        p.status = 'active' AND p.search_vector @@ search_prefix_query(@tsq)
        """;

    private const string TypoMatch = """
        p.status = 'active'
        AND (p.search_vector @@ search_prefix_query(@tsq)
             OR search_unaccent(lower(p.name)) %> search_unaccent(@terms))
        """;

    // Exact name > name starting with the text > weighted full-text rank (A name 1.0, B description 0.4,
    // C category 0.2, D business 0.1) > trigram closeness of the name. Rounded so the value a cursor
    // carries compares exactly with the value the next page recomputes.
    private const string Relevance = """
        round((
            CASE WHEN btrim(regexp_replace(search_unaccent(lower(p.name)), '[^[:alnum:]]+', ' ', 'g')) = @terms THEN 10 ELSE 0 END
          + CASE WHEN starts_with(search_unaccent(lower(p.name)), @terms) THEN 2 ELSE 0 END
          + 4 * ts_rank('{0.1, 0.2, 0.4, 1.0}', p.search_vector, search_prefix_query(@tsq))
          + word_similarity(@terms, search_unaccent(lower(p.name)))
        )::numeric, 6)
        """;

    public async Task<IReadOnlyList<CategoryInfo>> CategoriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CategoryInfo>(new CommandDefinition(
            "SELECT id AS Id, slug AS Slug, name AS Name FROM categories ORDER BY id",
            cancellationToken: cancellationToken));
        return rows.ToList();
    }

    public async Task<SearchResponse> SearchAsync(SearchQuery query, IReadOnlyList<CategoryInfo> categories, byte[] cursorKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(categories);

        var statements = Statements(query);
        var parameters = statements.Parameters;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await UseSearchSettingsAsync(connection, transaction, cancellationToken);

        var facetRows = await FacetsAsync(withTypos: false);
        var withTypos = facetRows.Single(r => r.Kind == 0).Matched < options.Value.TypoFallbackBelow;
        if (withTypos)
        {
            facetRows = await FacetsAsync(withTypos: true);
        }

        var rows = (await connection.QueryAsync<HitRow>(new CommandDefinition(statements.HitsSql(withTypos), parameters, transaction, cancellationToken: cancellationToken))).ToList();

        var byId = categories.ToDictionary(c => c.Id);
        var hasMore = rows.Count > query.PageSize;
        var pageRows = hasMore ? rows.GetRange(0, query.PageSize) : rows;
        var hits = await HitImages.AttachAsync(connection, transaction, pageRows.Select(r => ToHit(r, byId)).ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        string? nextCursor = null;
        if (hasMore)
        {
            var last = pageRows[^1];
            nextCursor = new SearchCursor(
                query.Fingerprint,
                query.Sort,
                query.Sort switch
                {
                    SearchSort.Price => last.Price,
                    SearchSort.Relevance => last.Relevance,
                    _ => null,
                },
                query.Sort == SearchSort.Newest ? DateTime.SpecifyKind(last.CreatedAt, DateTimeKind.Utc).Ticks : null,
                last.Id).Encode(cursorKey);
        }

        var totals = facetRows.Single(r => r.Kind == 0);
        var categoryFacets = facetRows
            .Where(r => r.Kind == 1 && byId.ContainsKey(r.Key))
            .Select(r => new CategoryFacet(r.Key, byId[r.Key].Slug, byId[r.Key].Name, r.Count))
            .OrderByDescending(f => f.Count).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var bucketCounts = facetRows.Where(r => r.Kind == 2).ToDictionary(r => r.Key, r => r.Count);
        var prices = Enumerable.Range(0, PriceBucketBounds.Length + 1)
            .Select(i => new PriceBucket(
                i == 0 ? 0m : PriceBucketBounds[i - 1],
                i < PriceBucketBounds.Length ? PriceBucketBounds[i] : null,
                // width_bucket numbers the bucket below the first bound 0, the one from bound k on k.
                bucketCounts.GetValueOrDefault(i)))
            .ToList();

        return new SearchResponse(
            query.Text.Normalized,
            query.Sort.ToString().ToLowerInvariant(),
            hits,
            new SearchTotal(totals.Count, totals.Matched <= CountLimit),
            new SearchFacets(categoryFacets, prices),
            nextCursor);

        async Task<List<FacetRow>> FacetsAsync(bool withTypos)
            => (await connection.QueryAsync<FacetRow>(new CommandDefinition(statements.FacetsSql(withTypos), parameters, transaction, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// The SQL and parameters of one search: the facets and total, then the page of hits, each over the
    /// full-text match alone or with typo (trigram) matches added. Internal so a test can EXPLAIN them.
    /// </summary>
    internal SearchStatements Statements(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new DynamicParameters();
        parameters.Add("tsq", query.Text.Terms.ToArray());
        parameters.Add("terms", query.Text.TermText);
        parameters.Add("take", query.PageSize + 1);
        parameters.Add("nameOptions", NameHeadlineOptions);
        parameters.Add("snippetOptions", SnippetHeadlineOptions);

        var filters = new StringBuilder();
        var categoryFilter = "true";
        var priceFilter = "true";
        if (query.CategoryId is { } categoryId)
        {
            parameters.Add("categoryId", categoryId);
            categoryFilter = "m.category_id = @categoryId";
            filters.Append(" AND p.category_id = @categoryId");
        }

        if (query.MinPrice is { } minPrice)
        {
            parameters.Add("minPrice", minPrice);
            filters.Append(" AND p.price >= @minPrice");
        }

        if (query.MaxPrice is { } maxPrice)
        {
            parameters.Add("maxPrice", maxPrice);
            filters.Append(" AND p.price <= @maxPrice");
        }

        if (query.MinPrice is not null || query.MaxPrice is not null)
        {
            priceFilter = (query.MinPrice, query.MaxPrice) switch
            {
                (not null, not null) => "m.price BETWEEN @minPrice AND @maxPrice",
                (not null, null) => "m.price >= @minPrice",
                _ => "m.price <= @maxPrice",
            };
        }

        var (order, keyset) = query.Sort switch
        {
            SearchSort.Price => ("price ASC, id ASC", "(price, id) > (@cursorValue, @cursorId)"),
            SearchSort.Newest => ("created_at DESC, id DESC", "(created_at, id) < (@cursorTime, @cursorId)"),
            _ => ("relevance DESC, id ASC", "(relevance < @cursorValue OR (relevance = @cursorValue AND id > @cursorId))"),
        };

        var after = "true";
        if (query.Cursor is { } cursor)
        {
            after = keyset;
            parameters.Add("cursorId", cursor.Id);
            if (cursor.Ticks is { } ticks)
            {
                parameters.Add("cursorTime", new DateTime(ticks, DateTimeKind.Utc));
            }
            else
            {
                parameters.Add("cursorValue", cursor.Value);
            }
        }

        parameters.Add("countLimit", CountLimit + 1);
        parameters.Add("bounds", PriceBucketBounds);
        string Facets(bool withTypos) => $"""
            WITH matched AS MATERIALIZED (
                SELECT p.category_id, p.price FROM products p WHERE {(withTypos ? TypoMatch : FullTextMatch)} LIMIT @countLimit
            )
            SELECT 0 AS Kind, 0 AS Key, count(*) FILTER (WHERE {categoryFilter} AND {priceFilter}) AS Count, count(*) AS Matched FROM matched m
            UNION ALL
            SELECT 1, m.category_id, count(*), 0 FROM matched m WHERE {priceFilter} GROUP BY m.category_id
            UNION ALL
            SELECT 2, width_bucket(m.price, @bounds), count(*), 0 FROM matched m WHERE {categoryFilter} GROUP BY 2
            """;

        // Relevance ranks a bounded candidate set: the first full-text matches (after the filters) in heap
        // order, which is stable because the transaction runs without parallel workers. Price and newest
        // order by plain columns and take every match.
        parameters.Add("candidateLimit", options.Value.RankedCandidateLimit);
        string Hits(bool withTypos) => $"""
            WITH candidates AS MATERIALIZED (
                SELECT p.id, p.name, p.slug, p.description, p.price, p.currency, p.business_id, p.category_id,
                       p.created_at, p.search_vector
                FROM products p
                WHERE {(withTypos ? TypoMatch : FullTextMatch)}{filters} {(query.Sort == SearchSort.Relevance && !withTypos ? "LIMIT @candidateLimit" : string.Empty)}
            ),
            hits AS (
                SELECT p.id, p.name, p.slug, p.description, p.price, p.currency, p.business_id, b.name AS business_name,
                       p.category_id, p.created_at, {Relevance} AS relevance
                FROM candidates p
                JOIN businesses b ON b.id = p.business_id
            ),
            page AS (
                SELECT * FROM hits WHERE {after} ORDER BY {order} LIMIT @take
            )
            SELECT id AS Id, name AS Name, slug AS Slug, price AS Price, currency AS Currency,
                   business_id AS BusinessId, business_name AS BusinessName, category_id AS CategoryId,
                   created_at AS CreatedAt, relevance AS Relevance,
                   ts_headline('search_simple', name, search_prefix_query(@tsq), @nameOptions) AS NameHighlight,
                   ts_headline('search_simple', description, search_prefix_query(@tsq), @snippetOptions) AS Snippet
            FROM page
            ORDER BY {order}
            """;

        return new SearchStatements(parameters, Facets, Hits);
    }

    // Candidates for completion, ranked: the leading-word matches first, then by this month's popularity.
    private static string RankedSuggestions(string candidates) => $"""
        SELECT c.id AS Id, c.name AS Name, c.name_starts AS Leading, pop.n AS Popularity
        FROM (
        {candidates}
        ) c
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM analytics_events e
            WHERE e.product_id = c.id AND e.created_at > now() - interval '30 days'
        ) pop
        ORDER BY c.name_starts DESC, pop.n DESC, c.id
        LIMIT @limit
        """;

    // The live candidates: active products with a name word starting with each term, best for completion
    // first, at most 200 of them.
    internal static readonly string LiveSuggestionsSql = RankedSuggestions("""
            SELECT p.id, p.name, starts_with(search_unaccent(lower(p.name)), @terms) AS name_starts
            FROM products p
            WHERE p.status = 'active' AND p.search_vector @@ search_prefix_query(@tsq, 'A')
            ORDER BY name_starts DESC, p.featured DESC, p.id
            LIMIT 200
        """);

    // The same 200 candidates of a common prefix, precomputed by mv_search_autocomplete
    // (database/migrations/0050_search_autocomplete.sql). Status and match are checked again, so a product
    // withdrawn or renamed since the view's refresh never shows.
    private const string PrecomputedCandidatesSql = "SELECT candidates FROM mv_search_autocomplete WHERE prefix = @terms";

    private static readonly string PrecomputedSuggestionsSql = RankedSuggestions("""
            SELECT p.id, p.name, starts_with(search_unaccent(lower(p.name)), @terms) AS name_starts
            FROM unnest(@candidates) AS candidate(id)
            JOIN products p ON p.id = candidate.id
            WHERE p.status = 'active' AND p.search_vector @@ search_prefix_query(@tsq, 'A')
        """);

    /// <summary>
    /// Active products with a name word starting with each term, best candidates for completion first. A
    /// one-term text whose prefix thousands of products share reads its candidates from
    /// mv_search_autocomplete instead of sorting every match on each keystroke (issue 17).
    /// </summary>
    public async Task<IReadOnlyList<ProductSuggestionRow>> ProductSuggestionsAsync(QueryText text, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (sql, parameters) = await SuggestionStatementAsync(connection, text, limit, cancellationToken);
        var rows = await connection.QueryAsync<ProductSuggestionRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>The statement <see cref="ProductSuggestionsAsync"/> sends for this text (the plan test explains it).</summary>
    internal static async Task<(string Sql, DynamicParameters Parameters)> SuggestionStatementAsync(NpgsqlConnection connection, QueryText text, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(text);
        var parameters = new DynamicParameters(new { tsq = text.Terms.ToArray(), terms = text.TermText, limit });
        if (text.Terms.Count != 1)
        {
            return (LiveSuggestionsSql, parameters);
        }

        var candidates = await connection.ExecuteScalarAsync<long[]?>(new CommandDefinition(
            PrecomputedCandidatesSql, new { terms = text.TermText }, cancellationToken: cancellationToken));

        if (candidates is null)
        {
            return (LiveSuggestionsSql, parameters);
        }

        parameters.Add("candidates", candidates);
        return (PrecomputedSuggestionsSql, parameters);
    }

    private int CountLimit => options.Value.CountLimit;

    // pg_trgm's default word-similarity threshold (0.6) misses one dropped letter in a short word
    // ("samsng" is 0.57 from "samsung"). SET LOCAL scopes the looser threshold to this transaction,
    // so a pooled connection never carries it elsewhere.
    // No parallel workers either: on a loaded 2-core host they cost more than they save for a few thousand
    // rows, and a serial bitmap scan returns the bounded candidates in the same (heap) order on every page.
    internal Task UseSearchSettingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
        => connection.ExecuteAsync(new CommandDefinition(
            "SELECT set_config('pg_trgm.word_similarity_threshold', @threshold, true), set_config('max_parallel_workers_per_gather', '0', true)",
            new { threshold = options.Value.TypoThreshold.ToString(CultureInfo.InvariantCulture) },
            transaction,
            cancellationToken: cancellationToken));

    private static SearchHit ToHit(HitRow row, Dictionary<int, CategoryInfo> categories)
    {
        var category = categories.GetValueOrDefault(row.CategoryId) ?? new CategoryInfo(row.CategoryId, string.Empty, string.Empty);
        return new SearchHit(
            row.Id,
            row.Name,
            row.Slug,
            row.Price,
            row.Currency.Trim(),
            row.BusinessId,
            row.BusinessName,
            row.CategoryId,
            category.Slug,
            category.Name,
            new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)),
            row.Relevance,
            Marked(row.NameHighlight),
            Marked(row.Snippet));
    }

    // Escapes only what HTML needs (WebUtility.HtmlEncode would also turn "í" into "&#237;").
    private static string Marked(string headline)
        => headline
            .Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("'", "&#39;", StringComparison.Ordinal)
            .Replace(MarkStart.ToString(), "<mark>", StringComparison.Ordinal)
            .Replace(MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);

    private sealed record HitRow(
        long Id,
        string Name,
        string Slug,
        decimal Price,
        string Currency,
        long BusinessId,
        string BusinessName,
        int CategoryId,
        DateTime CreatedAt,
        decimal Relevance,
        string NameHighlight,
        string Snippet);

    private sealed record FacetRow(int Kind, int Key, long Count, long Matched);
}

/// <summary>The statements of one search (see <see cref="SearchQueries.Statements"/>).</summary>
internal sealed record SearchStatements(DynamicParameters Parameters, Func<bool, string> FacetsSql, Func<bool, string> HitsSql);

internal sealed record ProductSuggestionRow(long Id, string Name, bool Leading, long Popularity);
