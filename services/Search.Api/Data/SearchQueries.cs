using System.Globalization;
using System.Text;
using Hive.ServiceDefaults;
using Microsoft.Extensions.Options;
using Npgsql;
using Search.Api.Model;
using Search.Api.Querying;

namespace Search.Api.Data;

/// <summary>
/// The SQL of search and autocomplete over <c>products.search_vector</c> (database/migrations/0010_search.sql).
/// A product matches when every term matches a word prefix of its weighted document, or when the
/// terms are close to its name by trigram word similarity (typos). Only constant SQL fragments vary;
/// every value is a positional parameter bound through <see cref="SqlParameters"/>, rows are read by ordinal.
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
    private static string FullTextMatch(string tsq) => $"""
        p.status = 'active' AND p.search_vector @@ search_prefix_query({tsq})
        """;

    private static string TypoMatch(string tsq, string terms) => $"""
        p.status = 'active'
        AND (p.search_vector @@ search_prefix_query({tsq})
             OR search_unaccent(lower(p.name)) %> search_unaccent({terms}))
        """;

    // Exact name > name starting with the text > weighted full-text rank (A name 1.0, B description 0.4,
    // C category 0.2, D business 0.1) > trigram closeness of the name. The folded name and its words are
    // stored columns (0053_search_name_columns.sql), not computed per candidate. Rounded so the value a
    // cursor carries compares exactly with the value the next page recomputes.
    private static string Relevance(string tsq, string terms) => $$"""
        round((
            CASE WHEN p.search_name_words = {{terms}} THEN 10 ELSE 0 END
          + CASE WHEN starts_with(p.search_name, {{terms}}) THEN 2 ELSE 0 END
          + 4 * ts_rank('{0.1, 0.2, 0.4, 1.0}', p.search_vector, search_prefix_query({{tsq}}))
          + word_similarity({{terms}}, p.search_name)
        )::numeric, 6)
        """;

    public async Task<IReadOnlyList<CategoryInfo>> CategoriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT id, slug, name FROM categories ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var categories = new List<CategoryInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            categories.Add(new CategoryInfo(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        }

        return categories;
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

        var rows = await ReadAsync(parameters.CreateCommand(statements.HitsSql(withTypos), connection, transaction), HitRow.Read, cancellationToken);

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

        Task<List<FacetRow>> FacetsAsync(bool withTypos)
            => ReadAsync(parameters.CreateCommand(statements.FacetsSql(withTypos), connection, transaction), FacetRow.Read, cancellationToken);
    }

    /// <summary>
    /// The SQL and parameters of one search: the facets and total, then the page of hits, each over the
    /// full-text match alone or with typo (trigram) matches added. Internal so a test can EXPLAIN them.
    /// </summary>
    internal SearchStatements Statements(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new SqlParameters();
        var tsq = parameters.Add(query.Text.Terms.ToArray());
        var terms = parameters.Add(query.Text.TermText);

        var filters = new StringBuilder();
        var categoryFilter = "true";
        var priceFilter = "true";
        if (query.CategoryId is { } categoryId)
        {
            var category = parameters.Add(categoryId);
            categoryFilter = $"m.category_id = {category}";
            filters.Append(" AND p.category_id = ").Append(category);
        }

        string? minPrice = null;
        string? maxPrice = null;
        if (query.MinPrice is { } min)
        {
            minPrice = parameters.Add(min);
            filters.Append(" AND p.price >= ").Append(minPrice);
        }

        if (query.MaxPrice is { } max)
        {
            maxPrice = parameters.Add(max);
            filters.Append(" AND p.price <= ").Append(maxPrice);
        }

        if (minPrice is not null || maxPrice is not null)
        {
            priceFilter = (minPrice, maxPrice) switch
            {
                (not null, not null) => $"m.price BETWEEN {minPrice} AND {maxPrice}",
                (not null, null) => $"m.price >= {minPrice}",
                _ => $"m.price <= {maxPrice}",
            };
        }

        var order = query.Sort switch
        {
            SearchSort.Price => "price ASC, id ASC",
            SearchSort.Newest => "created_at DESC, id DESC",
            _ => "relevance DESC, id ASC",
        };

        var after = "true";
        if (query.Cursor is { } cursor)
        {
            // A signed cursor always carries the value of its sort (SearchCursor.Encode); the defaults are never used.
            var id = parameters.Add(cursor.Id);
            var value = query.Sort == SearchSort.Newest
                ? parameters.Add(new DateTime(cursor.Ticks.GetValueOrDefault(), DateTimeKind.Utc))
                : parameters.Add(cursor.Value.GetValueOrDefault());
            after = query.Sort switch
            {
                SearchSort.Price => $"(price, id) > ({value}, {id})",
                SearchSort.Newest => $"(created_at, id) < ({value}, {id})",
                _ => $"(relevance < {value} OR (relevance = {value} AND id > {id}))",
            };
        }

        var countLimit = parameters.Add(CountLimit + 1);
        var bounds = parameters.Add(PriceBucketBounds);
        string Facets(bool withTypos) => $"""
            WITH matched AS MATERIALIZED (
                SELECT p.category_id, p.price FROM products p WHERE {(withTypos ? TypoMatch(tsq, terms) : FullTextMatch(tsq))} LIMIT {countLimit}
            )
            SELECT 0 AS kind, 0 AS key, count(*) FILTER (WHERE {categoryFilter} AND {priceFilter}) AS count, count(*) AS matched FROM matched m
            UNION ALL
            SELECT 1, m.category_id, count(*), 0 FROM matched m WHERE {priceFilter} GROUP BY m.category_id
            UNION ALL
            SELECT 2, width_bucket(m.price, {bounds}), count(*), 0 FROM matched m WHERE {categoryFilter} GROUP BY 2
            """;

        // Relevance ranks a bounded candidate set: the first full-text matches (after the filters) in heap
        // order, which is stable because the transaction runs without parallel workers. Price and newest
        // order by plain columns and take every match. Only the page's rows are named with their business
        // (a join over every candidate hashed all 5,000 businesses of the large seed, ~2 ms a search).
        var candidateLimit = parameters.Add(options.Value.RankedCandidateLimit);
        var take = parameters.Add(query.PageSize + 1);
        var nameOptions = parameters.Add(NameHeadlineOptions);
        var snippetOptions = parameters.Add(SnippetHeadlineOptions);
        string Hits(bool withTypos) => $"""
            WITH candidates AS MATERIALIZED (
                SELECT p.id, p.name, p.slug, p.description, p.price, p.currency, p.business_id, p.category_id,
                       p.created_at, p.search_vector, p.search_name, p.search_name_words
                FROM products p
                WHERE {(withTypos ? TypoMatch(tsq, terms) : FullTextMatch(tsq))}{filters} {(query.Sort == SearchSort.Relevance && !withTypos ? "LIMIT " + candidateLimit : string.Empty)}
            ),
            hits AS (
                SELECT p.id, p.name, p.slug, p.description, p.price, p.currency, p.business_id,
                       p.category_id, p.created_at, {Relevance(tsq, terms)} AS relevance
                FROM candidates p
            ),
            page AS (
                SELECT * FROM hits WHERE {after} ORDER BY {order} LIMIT {take}
            )
            SELECT id, name, slug, price, currency, business_id,
                   (SELECT b.name FROM businesses b WHERE b.id = page.business_id) AS business_name,
                   category_id, created_at, relevance,
                   ts_headline('search_simple', name, search_prefix_query({tsq}), {nameOptions}) AS name_highlight,
                   ts_headline('search_simple', description, search_prefix_query({tsq}), {snippetOptions}) AS snippet
            FROM page
            ORDER BY {order}
            """;

        return new SearchStatements(parameters, Facets, Hits);
    }

    // Candidates for completion, ranked: the leading-word matches first, then by this month's popularity.
    // Parameters in order: $1 the terms (tsq), $2 the term text, $3 the limit, $4 the precomputed candidates.
    private static string RankedSuggestions(string candidates) => $"""
        SELECT c.id, c.name, c.name_starts, pop.n
        FROM (
        {candidates}
        ) c
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM analytics_events e
            WHERE e.product_id = c.id AND e.created_at > now() - interval '30 days'
        ) pop
        ORDER BY c.name_starts DESC, pop.n DESC, c.id
        LIMIT $3
        """;

    // The live candidates: active products with a name word starting with each term, best for completion
    // first, at most 200 of them.
    internal static readonly string LiveSuggestionsSql = RankedSuggestions("""
            SELECT p.id, p.name, starts_with(p.search_name, $2) AS name_starts
            FROM products p
            WHERE p.status = 'active' AND p.search_vector @@ search_prefix_query($1, 'A')
            ORDER BY name_starts DESC, p.featured DESC, p.id
            LIMIT 200
        """);

    // The same 200 candidates of a common prefix, precomputed by mv_search_autocomplete
    // (database/migrations/0050_search_autocomplete.sql). Status and match are checked again, so a product
    // withdrawn or renamed since the view's refresh never shows.
    private const string PrecomputedCandidatesSql = "SELECT candidates FROM mv_search_autocomplete WHERE prefix = $1";

    private static readonly string PrecomputedSuggestionsSql = RankedSuggestions("""
            SELECT p.id, p.name, starts_with(p.search_name, $2) AS name_starts
            FROM unnest($4) AS candidate(id)
            JOIN products p ON p.id = candidate.id
            WHERE p.status = 'active' AND p.search_vector @@ search_prefix_query($1, 'A')
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
        return await ReadAsync(parameters.CreateCommand(sql, connection), ProductSuggestionRow.Read, cancellationToken);
    }

    /// <summary>The statement <see cref="ProductSuggestionsAsync"/> sends for this text (the plan test explains it).</summary>
    internal static async Task<(string Sql, SqlParameters Parameters)> SuggestionStatementAsync(NpgsqlConnection connection, QueryText text, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(text);
        var parameters = new SqlParameters().With(text.Terms.ToArray()).With(text.TermText).With(limit);
        if (text.Terms.Count != 1)
        {
            return (LiveSuggestionsSql, parameters);
        }

        await using var lookup = new NpgsqlCommand(PrecomputedCandidatesSql, connection)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = text.TermText } },
        };
        if (await lookup.ExecuteScalarAsync(cancellationToken) is not long[] candidates)
        {
            return (LiveSuggestionsSql, parameters);
        }

        parameters.Add(candidates);
        return (PrecomputedSuggestionsSql, parameters);
    }

    /// <summary>Runs <paramref name="command"/> (and disposes it) and reads each row with <paramref name="read"/>.</summary>
    internal static async Task<List<T>> ReadAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }

    private int CountLimit => options.Value.CountLimit;

    /// <summary>
    /// Every search session plans each statement for its own values. Statements used twice on a connection are
    /// prepared (DatabaseExtensions.ApplyPooling), and after five executions Postgres may switch a prepared
    /// statement to a generic plan. For search that plan guesses 1,000 matches for any text, and
    /// search_prefix_query($1) is no longer folded to a constant: on the large seed the page of a word with a
    /// price filter went from 14 to 54 ms (a BitmapAnd with the price index over 170,000 rows, the query
    /// rebuilt for every candidate), and an autocomplete from 38 to 837 ms. Custom plans cost about a
    /// millisecond of planning; preparing still saves the parse.
    /// </summary>
    public static void ConfigureConnection(NpgsqlConnectionStringBuilder connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        const string CustomPlans = "-c plan_cache_mode=force_custom_plan";
        connection.Options = string.IsNullOrEmpty(connection.Options) ? CustomPlans : $"{connection.Options} {CustomPlans}";
    }

    // pg_trgm's default word-similarity threshold (0.6) misses one dropped letter in a short word
    // ("samsng" is 0.57 from "samsung"). SET LOCAL scopes the looser threshold to this transaction,
    // so a pooled connection never carries it elsewhere.
    // No parallel workers either: on a loaded 2-core host they cost more than they save for a few thousand
    // rows, and a serial bitmap scan returns the bounded candidates in the same (heap) order on every page.
    internal async Task UseSearchSettingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT set_config('pg_trgm.word_similarity_threshold', $1, true), set_config('max_parallel_workers_per_gather', '0', true)",
            connection,
            transaction)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = options.Value.TypoThreshold.ToString(CultureInfo.InvariantCulture) } },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

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
        string Snippet)
    {
        public static HitRow Read(NpgsqlDataReader reader) => new(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetDecimal(3),
            reader.GetString(4),
            reader.GetInt64(5),
            reader.GetString(6),
            reader.GetInt32(7),
            reader.GetDateTime(8),
            reader.GetDecimal(9),
            reader.GetString(10),
            reader.GetString(11));
    }

    private sealed record FacetRow(int Kind, int Key, long Count, long Matched)
    {
        public static FacetRow Read(NpgsqlDataReader reader)
            => new(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3));
    }
}

/// <summary>The statements of one search (see <see cref="SearchQueries.Statements"/>).</summary>
internal sealed record SearchStatements(SqlParameters Parameters, Func<bool, string> FacetsSql, Func<bool, string> HitsSql);

internal sealed record ProductSuggestionRow(long Id, string Name, bool Leading, long Popularity)
{
    public static ProductSuggestionRow Read(NpgsqlDataReader reader)
        => new(reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2), reader.GetInt64(3));
}
