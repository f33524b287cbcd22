using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Npgsql;
using Search.Api.Model;

namespace Search.Api.Tests.Apis;

/// <summary>
/// What a client renders or sends back must be safe: highlights are HTML in which product text is escaped
/// (a seller cannot inject markup into a buyer's page), and a cursor cannot be edited to jump elsewhere.
/// </summary>
[Collection(SearchCollection.Name)]
public sealed class SearchSurfaceSafetyTests(SearchFixture fixture)
{
    [Fact]
    public async Task MarkupInAProductsNameAndDescriptionIsEscapedInItsHighlightAndSnippet()
    {
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO products (business_id, category_id, name, slug, description, price, status)
                VALUES ((SELECT min(id) FROM businesses), @category, @name, 'zambarau-markup', @description, 999, 'active')
                """,
                new
                {
                    category = MarketplaceData.Crafts,
                    name = "Zambarau <script>alert('x')</script> & \"Bag\"",
                    description = "Zambarau tote <img src=x onerror=alert(1)> woven by hand & dyed purple.",
                });
        }

        var page = (await fixture.Client.GetFromJsonAsync<SearchResponse>("/api/search?q=zambarau"))!;

        var hit = Assert.Single(page.Hits);
        Assert.Equal("Zambarau <script>alert('x')</script> & \"Bag\"", hit.Name); // plain text stays plain text
        Assert.Equal("<mark>Zambarau</mark> &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Bag&quot;", hit.NameHighlight);
        Assert.Contains("<mark>Zambarau</mark> tote &lt;img src=x onerror=alert(1)&gt;", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("&amp; dyed", hit.Snippet, StringComparison.Ordinal);
        foreach (var html in new[] { hit.NameHighlight, hit.Snippet })
        {
            var withoutMarks = html.Replace("<mark>", "", StringComparison.Ordinal).Replace("</mark>", "", StringComparison.Ordinal);
            Assert.DoesNotContain('<', withoutMarks);
            Assert.DoesNotContain('>', withoutMarks);
        }
    }

    [Fact]
    public async Task ACursorWhosePositionWasEditedIsRefused()
    {
        var page = (await fixture.Client.GetFromJsonAsync<SearchResponse>("/api/search?q=sukuma&pageSize=2&sort=price"))!;
        var cursor = page.NextCursor!;
        var raw = Base64Url.DecodeFromChars(cursor);
        // The body is JSON followed by a 16-byte MAC; move the position to another id, keep the MAC.
        var json = Encoding.UTF8.GetString(raw, 0, raw.Length - 16);
        var edited = System.Text.RegularExpressions.Regex.Replace(json, "\"i\":\\d+", "\"i\":1");
        Assert.NotEqual(json, edited);
        var forged = Base64Url.EncodeToString([.. Encoding.UTF8.GetBytes(edited), .. raw.AsSpan(raw.Length - 16)]);

        using var withForged = await fixture.Client.GetAsync($"/api/search?q=sukuma&pageSize=2&sort=price&cursor={forged}");
        using var truncated = await fixture.Client.GetAsync($"/api/search?q=sukuma&pageSize=2&sort=price&cursor={cursor[..^2]}");
        using var genuine = await fixture.Client.GetAsync($"/api/search?q=sukuma&pageSize=2&sort=price&cursor={cursor}");

        Assert.Equal(HttpStatusCode.BadRequest, withForged.StatusCode);
        Assert.Contains("cursor", await withForged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }
}
