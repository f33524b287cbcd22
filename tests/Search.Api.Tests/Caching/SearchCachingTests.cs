using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Hive.Caching;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Search.Api.Caching;
using Search.Api.Data;
using Search.Api.Model;
using Search.Api.Querying;

namespace Search.Api.Tests.Caching;

[Collection(SearchCollection.Name)]
public sealed class SearchCachingTests(SearchFixture fixture)
{
    private IHiveCache Cache => fixture.Services.GetRequiredService<IHiveCache>();

    [Fact]
    public async Task CachedAndUncachedAnswersAreIdentical()
    {
        var first = await fixture.Client.GetStringAsync("/api/search?q=tecno%20spark&pageSize=5");
        var hitsBefore = Cache.GetStatistics().Hits;
        var second = await fixture.Client.GetStringAsync("/api/search?q=tecno%20spark&pageSize=5");

        Assert.True(Cache.GetStatistics().Hits > hitsBefore, "the second request should be served from the cache");
        Assert.Equal(first, second);

        // And straight from the database, bypassing the cache entirely.
        var queries = fixture.Services.GetRequiredService<SearchQueries>();
        var options = fixture.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SearchOptions>>().Value;
        var (query, _) = SearchRequestParser.Parse(new SearchRequest("tecno spark", null, null, null, null, null, "5"), 20, options.CursorKey);
        var categories = await queries.CategoriesAsync(CancellationToken.None);
        var direct = await queries.SearchAsync(query!, categories, options.CursorKey, CancellationToken.None);
        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize<SearchResponse>(first, JsonSerializerOptions.Web), JsonSerializerOptions.Web),
            JsonSerializer.Serialize(direct, JsonSerializerOptions.Web));
    }

    [Fact]
    public async Task EquivalentQueriesShareOneCacheEntry()
    {
        await fixture.Client.GetStringAsync("/api/search?q=%20%20Infinix%20%20HOT%20");
        var before = Cache.GetStatistics();

        var variants = new[] { "infinix%20hot", "INFINIX%09hot", "%EF%BD%89nfinix%20hot", "Infinix%20H%C3%B3t" };
        var bodies = new List<string>();
        foreach (var variant in variants)
        {
            bodies.Add(await fixture.Client.GetStringAsync($"/api/search?q={variant}"));
        }

        var after = Cache.GetStatistics();
        Assert.True(after.Hits - before.Hits >= variants.Length, $"hits {before.Hits} -> {after.Hits}");
        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task InvalidatingAProductDropsThePagesContainingIt()
    {
        var stove = await PageAsync("/api/search?q=jiko%20kisasa&pageSize=3");
        var unrelated = await PageAsync("/api/search?q=soapstone&pageSize=3");
        var target = stove.Hits[0];

        await ExecuteAsync("UPDATE products SET price = 1234.50, version = version + 1 WHERE id = @id", new { id = target.Id });
        var stale = await PageAsync("/api/search?q=jiko%20kisasa&pageSize=3");
        Assert.Equal(target.Price, stale.Hits[0].Price);

        await fixture.Services.GetRequiredService<SearchCache>().InvalidateProductAsync(target.Id, target.CategoryId, CancellationToken.None);

        Assert.False((await Cache.TryGetAsync<CachedJson<SearchResponse>>(PageKey("jiko kisasa", 3))).HasValue, "the page showing the product is gone");
        Assert.True((await Cache.TryGetAsync<CachedJson<SearchResponse>>(PageKey("soapstone", 3))).HasValue, "a page without it stays cached");
        var fresh = await PageAsync("/api/search?q=jiko%20kisasa&pageSize=3");
        Assert.Equal(1234.50m, fresh.Hits.Single(h => h.Id == target.Id).Price);
        var stillCached = await PageAsync("/api/search?q=soapstone&pageSize=3");
        Assert.Equal(JsonSerializer.Serialize(unrelated), JsonSerializer.Serialize(stillCached));
    }

    [Fact]
    public async Task AProductChangedEventOnTheBusDropsThePagesContainingTheProduct()
    {
        var page = await PageAsync("/api/search?q=soapstone&pageSize=4");
        var target = page.Hits[0];
        var version = await ExecuteScalarAsync<long>("UPDATE products SET price = 4321.00, version = version + 1 WHERE id = @id RETURNING version", new { id = target.Id });

        var bus = fixture.Services.GetRequiredService<MassTransit.IBus>();
        var changed = new Hive.Contracts.ProductChanged(
            target.Id, 0, target.CategoryId, "any", Hive.Contracts.ProductChangeKind.Updated, version, DateTimeOffset.UtcNow);

        // The event goes straight onto the bus, not through the outbox that declares every queue before its
        // first publish: until the service's queue is bound a publish reaches nobody, so it is sent again
        // (a repeat of a version already handled changes nothing: eviction is idempotent).
        var sinceSent = System.Diagnostics.Stopwatch.StartNew();
        await bus.Publish(changed);
        await Hive.Testing.Eventually.TrueAsync(
            async () =>
            {
                if (sinceSent.Elapsed > TimeSpan.FromSeconds(2))
                {
                    await bus.Publish(changed);
                    sinceSent.Restart();
                }

                return (await PageAsync("/api/search?q=soapstone&pageSize=4")).Hits.Single(h => h.Id == target.Id).Price == 4321.00m;
            },
            TimeSpan.FromSeconds(30),
            "the search service consumed ProductChanged and dropped the page");
    }

    [Fact]
    public async Task AProductThatStartsMatchingAppearsInItsCategoryPagesAfterInvalidation()
    {
        var before = await PageAsync("/api/search?q=sufuria%20deluxe&category=home-kitchen");
        Assert.DoesNotContain(before.Hits, h => h.Name == "Sufuria Deluxe");

        var id = await ExecuteScalarAsync<long>(
            """
            INSERT INTO products (business_id, category_id, name, slug, description, price, status)
            VALUES ((SELECT min(id) FROM businesses), @category, 'Sufuria Deluxe', 'sufuria-deluxe-new', 'Heavy pot.', 5200, 'active')
            RETURNING id
            """,
            new { category = MarketplaceData.HomeKitchen });

        await fixture.Services.GetRequiredService<SearchCache>().InvalidateProductAsync(id, MarketplaceData.HomeKitchen, CancellationToken.None);

        var after = await PageAsync("/api/search?q=sufuria%20deluxe&category=home-kitchen");
        Assert.Equal("Sufuria Deluxe", after.Hits[0].Name);
    }

    [Fact]
    public async Task AutocompleteSuggestionsAreCachedAndDroppedWithTheirProduct()
    {
        var first = await fixture.Client.GetFromJsonAsync<AutocompleteResponse>("/api/search/autocomplete?q=thermo");
        Assert.Contains(first!.Suggestions, s => s.Text == "thermos flask");

        var id = await ExecuteScalarAsync<long>("SELECT min(id) FROM products WHERE name = 'Thermos Flask'");
        await ExecuteAsync("UPDATE products SET status = 'archived' WHERE name = 'Thermos Flask'", null);
        var cached = await fixture.Client.GetFromJsonAsync<AutocompleteResponse>("/api/search/autocomplete?q=THERMO");
        Assert.Contains(cached!.Suggestions, s => s.Text == "thermos flask");

        await fixture.Services.GetRequiredService<SearchCache>().InvalidateProductAsync(id, MarketplaceData.HomeKitchen, CancellationToken.None);

        var fresh = await fixture.Client.GetFromJsonAsync<AutocompleteResponse>("/api/search/autocomplete?q=thermo");
        Assert.DoesNotContain(fresh!.Suggestions, s => s.Text == "thermos flask");
    }

    private CacheKey PageKey(string q, int pageSize)
    {
        var options = fixture.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SearchOptions>>().Value;
        var (query, _) = SearchRequestParser.Parse(new SearchRequest(q, null, null, null, null, null, pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), 20, options.CursorKey);
        return Cache.Keys.For("results", query!.CacheId);
    }

    private async Task<SearchResponse> PageAsync(string url)
        => (await fixture.Client.GetFromJsonAsync<SearchResponse>(url))!;

    private async Task ExecuteAsync(string sql, object? parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    private async Task<T> ExecuteScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }
}
