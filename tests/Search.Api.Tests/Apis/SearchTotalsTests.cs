using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Search.Api.Model;

namespace Search.Api.Tests.Apis;

/// <summary>
/// The total and the facets beside a result describe the same products its pages list: a shopper who
/// picks a category or a price band sees as many products as the facet promised, and the pages end where
/// the total says. Checked by walking every page of plain, misspelt and filtered searches.
/// </summary>
[Collection(SearchCollection.Name)]
public sealed class SearchTotalsTests(SearchFixture fixture)
{
    private const int PageSize = 4;

    [Theory]
    [InlineData("q=samsung")]
    [InlineData("q=samsung&sort=price")]
    [InlineData("q=samsung&sort=newest")]
    [InlineData("q=samsnug")]
    [InlineData("q=kikoi&minPrice=1500")]
    [InlineData("q=kikoi&maxPrice=1500")]
    [InlineData("q=smartphone&minPrice=15000&maxPrice=30000")]
    [InlineData("q=kikoi&category=fashion")]
    public async Task TheTotalAndTheFacetsCountWhatThePagesList(string search)
    {
        var pages = await WalkAsync(search);
        var first = pages[0];
        var hits = pages.SelectMany(p => p.Hits).ToList();

        Assert.NotEmpty(hits);
        Assert.All(pages[..^1], p => Assert.Equal(PageSize, p.Hits.Count));
        Assert.InRange(pages[^1].Hits.Count, 1, PageSize);
        Assert.Equal(hits.Count, hits.Select(h => h.Id).Distinct().Count());
        Assert.True(first.Total.IsExact);
        Assert.Equal(first.Total.Value, hits.Count);
        Assert.All(pages, p => Assert.Equal(first.Facets, p.Facets, new FacetsComparer()));

        var query = System.Web.HttpUtility.ParseQueryString(search);
        var min = query["minPrice"] is { } minText ? decimal.Parse(minText, System.Globalization.CultureInfo.InvariantCulture) : (decimal?)null;
        var max = query["maxPrice"] is { } maxText ? decimal.Parse(maxText, System.Globalization.CultureInfo.InvariantCulture) : (decimal?)null;
        Assert.All(hits, h => Assert.InRange(h.Price, min ?? 0m, max ?? decimal.MaxValue));

        // Category facets count under the price filter but across categories (so a shopper sees the others);
        // largest first, ties by name.
        var categories = first.Facets.Categories;
        Assert.Equal(categories.OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.Ordinal).ToList(), categories);
        if (query["category"] is { } slug)
        {
            Assert.All(hits, h => Assert.Equal(slug, h.CategorySlug));
            Assert.Equal(hits.Count, categories.Single(c => c.Slug == slug).Count);
        }
        else
        {
            var listed = hits.GroupBy(h => h.CategorySlug).ToDictionary(g => g.Key, g => (long)g.Count());
            Assert.Equal(listed, categories.ToDictionary(c => c.Slug, c => c.Count));
        }

        // Price bands are contiguous from 0 up, the last open; they count under the category filter but
        // across prices, so without a price filter they split exactly the products listed.
        var bands = first.Facets.Prices;
        Assert.Equal(0m, bands[0].Min);
        Assert.Null(bands[^1].Max);
        for (var i = 1; i < bands.Count; i++)
        {
            Assert.Equal(bands[i - 1].Max, bands[i].Min);
        }

        if (min is null && max is null)
        {
            Assert.Equal(
                bands.Select(b => (long)hits.Count(h => h.Price >= b.Min && (b.Max is null || h.Price < b.Max))).ToList(),
                bands.Select(b => b.Count).ToList());
        }
        else
        {
            Assert.True(bands.Sum(b => b.Count) >= hits.Count, "bands count across prices, so never fewer than the filtered list");
        }
    }

    [Fact]
    public async Task APageAsLargeAsTheWholeResultHasNoNextPage()
    {
        var all = await WalkAsync("q=samsung");
        var total = all.Sum(p => p.Hits.Count);

        var exact = await fixture.Client.GetFromJsonAsync<SearchResponse>($"/api/search?q=samsung&pageSize={total}");
        var short1 = await fixture.Client.GetFromJsonAsync<SearchResponse>($"/api/search?q=samsung&pageSize={total - 1}");

        Assert.Equal(total, exact!.Hits.Count);
        Assert.Null(exact.NextCursor);
        Assert.Equal(total - 1, short1!.Hits.Count);
        Assert.NotNull(short1.NextCursor);
    }

    /// <summary>
    /// Totals are counted up to <c>Search:CountLimit</c> matches: at the limit the count is still exact, beyond
    /// it the answer says the total is a lower bound (a client shows "100+").
    /// </summary>
    [Fact]
    public async Task BeyondTheCountLimitTheTotalIsALowerBound()
    {
        var connectionString = await fixture.CreateMarketplaceDatabaseAsync("countlimit");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO products (business_id, category_id, name, slug, description, price, stock, status)
                SELECT (SELECT min(id) FROM businesses), 3, word || ' gift ' || g, lower(word) || '-gift-' || g, 'A gift.', 100 + g, 5, 'active'
                FROM (VALUES ('Zawadi', 100), ('Tuzo', 101)) AS w(word, n), generate_series(1, w.n) g
                """,
                connection);
            await insert.ExecuteNonQueryAsync();
        }

        await using var limited = fixture.Factory.WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:hive", connectionString);
            host.UseSetting("Search:CountLimit", "100");
        });
        using var client = limited.CreateClient();

        var atTheLimit = await client.GetFromJsonAsync<SearchResponse>("/api/search?q=zawadi&pageSize=5");
        var beyond = await client.GetFromJsonAsync<SearchResponse>("/api/search?q=tuzo&pageSize=5");

        Assert.Equal(new SearchTotal(100, IsExact: true), atTheLimit!.Total);
        Assert.False(beyond!.Total.IsExact);
        Assert.True(beyond.Total.Value >= 100, $"a lower bound of at least the limit, got {beyond.Total.Value}");
    }

    private async Task<List<SearchResponse>> WalkAsync(string search)
    {
        var pages = new List<SearchResponse>();
        string? cursor = null;
        do
        {
            var url = $"/api/search?{search}&pageSize={PageSize}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await fixture.Client.GetFromJsonAsync<SearchResponse>(url);
            pages.Add(page!);
            cursor = page!.NextCursor;
            Assert.True(pages.Count < 200, $"{search}: more pages than the data holds");
        }
        while (cursor is not null);

        return pages;
    }

    private sealed class FacetsComparer : IEqualityComparer<SearchFacets>
    {
        public bool Equals(SearchFacets? x, SearchFacets? y)
            => x is not null && y is not null && x.Categories.SequenceEqual(y.Categories) && x.Prices.SequenceEqual(y.Prices);

        public int GetHashCode(SearchFacets obj) => obj.Categories.Count;
    }
}
