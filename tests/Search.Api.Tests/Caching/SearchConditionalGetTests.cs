using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using Hive.Contracts;
using Hive.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Search.Api.Model;

namespace Search.Api.Tests.Caching;

/// <summary>
/// Every cacheable GET of search answers a held ETag with a 304 while the data is unchanged, keeps doing so
/// for a change made behind the cache's back (the page really is read from the cache), and answers with the
/// new body under a new ETag once the change is announced on the bus (or, for the boards, once they change).
/// </summary>
[Collection(SearchCollection.Name)]
public sealed class SearchConditionalGetTests(SearchFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ASearchPageIsServedFromTheCacheUntilTheProductsChangeIsAnnounced()
    {
        const string view = "/api/search?q=knapsack%20sprayer&pageSize=3";
        var etag = await ETagAsync(view);
        var first = (await fixture.Client.GetFromJsonAsync<SearchResponse>(view))!.Hits[0];
        var id = first.Id;
        Assert.Equal("Knapsack Sprayer", first.Name);
        await AssertNotModifiedAsync(view, etag);

        var version = await ScalarAsync<long>(
            "UPDATE products SET price = 3333.00, version = version + 1 WHERE id = @id RETURNING version", new { id });
        await AssertNotModifiedAsync(view, etag); // stale: read from the cache, not the database

        await PublishChangeAsync(id, MarketplaceData.Agriculture, version);

        var answer = await Eventually.SucceedsAsync(
            () => ConditionalGetAsync(view, etag),
            answer => answer.Status == HttpStatusCode.OK,
            Deadline,
            "the page is dropped once search consumed the ProductChanged");
        var fresh = System.Text.Json.JsonSerializer.Deserialize<SearchResponse>(answer.Body, System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal(3333.00m, fresh.Hits.Single(hit => hit.Id == id).Price);
        Assert.NotEqual(etag, answer.ETag);
    }

    [Fact]
    public async Task AutocompleteIsServedFromTheCacheUntilTheProductsChangeIsAnnounced()
    {
        const string view = "/api/search/autocomplete?q=maasai%20sh";
        var etag = await ETagAsync(view);
        await AssertNotModifiedAsync(view, etag);

        var ids = (await QueryAsync<long>("SELECT id FROM products WHERE name = 'Maasai Shuka'")).ToList();
        var versions = new List<long>();
        foreach (var id in ids)
        {
            versions.Add(await ScalarAsync<long>(
                "UPDATE products SET name = 'Maasai Shuka Blanket', version = version + 1 WHERE id = @id RETURNING version", new { id }));
        }

        await AssertNotModifiedAsync(view, etag);

        for (var i = 0; i < ids.Count; i++)
        {
            await PublishChangeAsync(ids[i], MarketplaceData.Crafts, versions[i]);
        }

        var answer = await Eventually.SucceedsAsync(
            () => ConditionalGetAsync(view, etag),
            a => a.Status == HttpStatusCode.OK && a.Body.Contains("maasai shuka blanket", StringComparison.OrdinalIgnoreCase),
            Deadline,
            "the suggestions are dropped once search consumed the ProductChanged events");
        Assert.NotEqual(etag, answer.ETag);
    }

    [Theory]
    [InlineData("/api/search/popular?window=day", "kiondo%20basket")]
    [InlineData("/api/search/popular/zero-results?window=day", "xylophone%20quantum")]
    public async Task ABoardGivesA304UntilANewSearchChangesIt(string view, string search)
    {
        var etag = await ETagAsync(view);
        await AssertNotModifiedAsync(view, etag);

        // Counted by many clients so it reaches the board's first places (one client counts once per window).
        for (var i = 0; i < 25; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/search?q={search}");
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            using var response = await fixture.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var answer = await ConditionalGetAsync(view, etag);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains(Uri.UnescapeDataString(search), answer.Body, StringComparison.Ordinal);
        Assert.NotEqual(etag, answer.ETag);
    }

    private async Task PublishChangeAsync(long id, int categoryId, long version)
        => await fixture.Services.GetRequiredService<IBus>().Publish(
            new ProductChanged(id, 0, categoryId, "any", ProductChangeKind.Updated, version, DateTimeOffset.UtcNow));

    private async Task<EntityTagHeaderValue> ETagAsync(string view)
    {
        using var response = await fixture.Client.GetAsync(view);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("public, max-age=", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        return response.Headers.ETag!;
    }

    private async Task AssertNotModifiedAsync(string view, EntityTagHeaderValue etag)
    {
        var answer = await ConditionalGetAsync(view, etag);
        Assert.Equal(HttpStatusCode.NotModified, answer.Status);
        Assert.Equal(string.Empty, answer.Body);
        Assert.Equal(etag, answer.ETag);
    }

    private async Task<(HttpStatusCode Status, string Body, EntityTagHeaderValue? ETag)> ConditionalGetAsync(string view, EntityTagHeaderValue etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, view);
        request.Headers.IfNoneMatch.Add(etag);
        using var response = await fixture.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.ETag);
    }

    private async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    private async Task<IEnumerable<T>> QueryAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        return await connection.QueryAsync<T>(sql);
    }
}
