extern alias migrator;

using System.Text.Json;
using Hive.Seeding;
using Hive.ServiceDefaults;
using migrator::Hive.Migrator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Search.Api.Data;
using Search.Api.Querying;

namespace Search.Api.Tests.Querying;

/// <summary>
/// Pins the plans of the service's own search statements on the seeder's <c>small</c> data set
/// (30,000 products, analyzed): a word plus a price filter is answered from the full-text GIN index, never
/// by reading every product, and the trigram side stays out while full text finds enough.
/// </summary>
[Collection(SearchCollection.Name)]
public sealed class SearchPlanTests(SearchFixture fixture) : IAsyncLifetime
{
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        // The seed takes seconds: made once into a template, each test gets a copy.
        _connectionString = await fixture.CreateDatabaseAsync("searchplan", "search_small_seed_42", async template =>
        {
            DatabaseMigrator.Migrate(template, NullLogger.Instance);
            await DatabaseSeeder.SeedAsync(template, SeedSize.Small, seed: 42, progress: null, CancellationToken.None);
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    // One test for several words.
    [Fact]
    public async Task AWordWithAPriceFilterIsPlannedOnTheFullTextIndexWithoutScanningProducts()
    {
        foreach (var word in new[] { "samsung", "kiondo", "sukuma" })
        {
            await AssertFullTextPlanAsync(word);
        }
    }

    // Common name-word prefixes of the seed (hundreds to thousands of matches each): before
    // mv_search_autocomplete every keystroke read and sorted all of them.
    [Fact]
    public async Task ACommonPrefixIsCompletedFromThePrecomputedCandidatesWithTheSameSuggestionsAsTheLiveQuery()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        foreach (var prefix in new[] { "siz", "set", "cha", "size" })
        {
            var text = QueryText.TryParse(prefix)!;
            var (sql, parameters) = await SearchQueries.SuggestionStatementAsync(connection, text, 50, CancellationToken.None);

            var plan = await ExplainAsync(connection, null, sql, parameters);
            Assert.False(
                plan.Nodes.Any(n => n.Relation == "products" && n.Index != "products_pkey"),
                $"Expected '{prefix}' to read products only by id (the precomputed candidates); the plan was:\n{plan.Text}");

            var precomputed = await SuggestionsAsync(connection, sql, parameters);
            var liveParameters = new SqlParameters().With(text.Terms.ToArray()).With(text.TermText).With(50);
            var live = await SuggestionsAsync(connection, SearchQueries.LiveSuggestionsSql, liveParameters);
            Assert.True(live.Count > 0, $"'{prefix}' should match products of the small seed");
            Assert.Equal(live, precomputed);
        }
    }

    // The service's connections prepare statements used twice; after five executions Postgres may plan a
    // prepared statement once for any values, guessing the match count and evaluating search_prefix_query($1)
    // per row (on the large seed: 14 -> 54 ms a page, 38 -> 837 ms an autocomplete).
    [Fact]
    public async Task SearchesRepeatedOnOneConnectionAreEachPlannedForTheirOwnText()
    {
        var service = new NpgsqlConnectionStringBuilder(fixture.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString);
        var settings = new NpgsqlConnectionStringBuilder(_connectionString)
        {
            Pooling = false,
            Options = service.Options,
            MaxAutoPrepare = service.MaxAutoPrepare,
            AutoPrepareMinUsages = service.AutoPrepareMinUsages,
        };
        Assert.True(settings.MaxAutoPrepare > 0, "the service prepares its statements");
        var queries = fixture.Services.GetRequiredService<SearchQueries>();
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();

        var words = new[] { "samsung", "kiondo", "sukuma", "tecno", "kikoi", "sufuria", "jiko", "maize", "unga", "kitenge" };
        for (var i = 0; i < words.Length; i++)
        {
            var statements = queries.Statements(new SearchQuery(QueryText.TryParse(words[i])!, null, null, i * 10m, null, SearchSort.Relevance, 20, null));
            await using var transaction = await connection.BeginTransactionAsync();
            await queries.UseSearchSettingsAsync(connection, transaction, CancellationToken.None);
            foreach (var sql in new[] { statements.FacetsSql(false), statements.HitsSql(false) })
            {
                await using var command = statements.Parameters.CreateCommand(sql, connection, transaction);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
            }

            await transaction.CommitAsync();
            var live = new SqlParameters().With(new[] { words[i][..3] }).With(words[i][..3]).With(50);
            await SuggestionsAsync(connection, SearchQueries.LiveSuggestionsSql, live);
        }

        var prepared = await SearchQueries.ReadAsync(
            new NpgsqlCommand("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements", connection),
            reader => (Sql: reader.GetString(0), Generic: reader.GetInt64(1), Custom: reader.GetInt64(2)),
            CancellationToken.None);
        Assert.All(prepared, p => Assert.True(p.Generic == 0, $"planned once for any values {p.Generic} times:\n{p.Sql}"));
        // The three search statements were prepared, and planned on every execution since.
        Assert.Equal(3, prepared.Count(p => p.Sql.Contains("FROM products p", StringComparison.Ordinal) && p.Custom >= words.Length - 1));
    }

    [Fact]
    public async Task APrecomputedCandidateWithdrawnSinceTheRefreshIsNeverSuggested()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var text = QueryText.TryParse("siz")!;
        var (sql, parameters) = await SearchQueries.SuggestionStatementAsync(connection, text, 50, CancellationToken.None);
        var first = (await SuggestionsAsync(connection, sql, parameters))[0];

        await SetStatusAsync(connection, first.Id, "archived");
        try
        {
            var after = await SuggestionsAsync(connection, sql, parameters);
            Assert.DoesNotContain(after, row => row.Id == first.Id);
            Assert.NotEmpty(after);
        }
        finally
        {
            await SetStatusAsync(connection, first.Id, "active");
        }
    }

    private static Task<List<ProductSuggestionRow>> SuggestionsAsync(NpgsqlConnection connection, string sql, SqlParameters parameters)
        => SearchQueries.ReadAsync(parameters.CreateCommand(sql, connection), ProductSuggestionRow.Read, CancellationToken.None);

    private static async Task SetStatusAsync(NpgsqlConnection connection, long productId, string status)
    {
        var parameters = new SqlParameters();
        await using var command = parameters.CreateCommand(
            $"UPDATE products SET status = {parameters.Add(status)} WHERE id = {parameters.Add(productId)}", connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task AssertFullTextPlanAsync(string word)
    {
        var queries = fixture.Services.GetRequiredService<SearchQueries>();
        var query = new SearchQuery(QueryText.TryParse(word)!, null, null, 100m, null, SearchSort.Relevance, 20, null);
        var statements = queries.Statements(query);

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await queries.UseSearchSettingsAsync(connection, transaction, CancellationToken.None);
        await using var count = statements.Parameters.CreateCommand(
            $"SELECT count(*) FROM ({statements.FacetsSql(false)}) f WHERE f.kind = 0 AND f.matched > 0", connection, transaction);
        var matched = (long)(await count.ExecuteScalarAsync())!;
        Assert.True(matched == 1, $"'{word}' should match products of the small seed");

        foreach (var sql in new[] { statements.FacetsSql(false), statements.HitsSql(false) })
        {
            var plan = await ExplainAsync(connection, transaction, sql, statements.Parameters);
            Assert.True(
                plan.Nodes.Any(n => n.Type == "Bitmap Index Scan" && n.Index == "idx_products_search_vector"),
                $"Expected a bitmap scan of idx_products_search_vector; the plan was:\n{plan.Text}");
            Assert.False(
                plan.Nodes.Any(n => n.Type == "Seq Scan" && n.Relation == "products"),
                $"Expected no sequential scan of products; the plan was:\n{plan.Text}");
            Assert.False(
                plan.Nodes.Any(n => n.Index == "idx_products_search_name_trgm"),
                $"Expected the trigram index to stay out while full text finds enough; the plan was:\n{plan.Text}");
        }
    }

    private static async Task<Plan> ExplainAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, SqlParameters parameters)
    {
        await using var explainJson = parameters.CreateCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, connection, transaction);
        var json = (string?)await explainJson.ExecuteScalarAsync();
        var lines = await SearchQueries.ReadAsync(
            parameters.CreateCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, connection, transaction), reader => reader.GetString(0), CancellationToken.None);
        var text = string.Join('\n', lines);
        using var document = JsonDocument.Parse(json!);
        var nodes = new List<PlanNode>();
        Walk(document.RootElement[0].GetProperty("Plan"), nodes);
        return new Plan(nodes, text);
    }

    private static void Walk(JsonElement plan, List<PlanNode> nodes)
    {
        nodes.Add(new PlanNode(
            plan.GetProperty("Node Type").GetString()!,
            plan.TryGetProperty("Index Name", out var index) ? index.GetString() : null,
            plan.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null));
        if (plan.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Walk(child, nodes);
            }
        }
    }

    private sealed record Plan(IReadOnlyList<PlanNode> Nodes, string Text);

    private sealed record PlanNode(string Type, string? Index, string? Relation);
}
