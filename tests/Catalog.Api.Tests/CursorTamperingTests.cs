using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>
/// A list cursor is a signed position: editing the position it carries, cutting it short or signing a
/// position of one's own choosing gets a 400 naming the cursor, never another page.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class CursorTamperingTests(CatalogFixture catalog)
{
    private const int MacLength = 16;

    [Fact]
    public async Task ACursorWhosePositionWasEditedIsRefused()
    {
        using var client = catalog.Factory.CreateClient();
        var cursor = await FirstCursorAsync(client);
        var raw = Base64Url.DecodeFromChars(cursor);
        // The fleet's cursor body is JSON ending in the row id ("i"); the position moves one row on, the MAC stays.
        var body = System.Text.Json.Nodes.JsonNode.Parse(Encoding.UTF8.GetString(raw, 0, raw.Length - MacLength))!.AsObject();
        body["i"] = body["i"]!.GetValue<long>() + 1;
        var edited = body.ToJsonString();
        var forged = Base64Url.EncodeToString([.. Encoding.UTF8.GetBytes(edited), .. raw.AsSpan(raw.Length - MacLength)]);

        using var response = await client.GetAsync("/api/catalog/products?sort=price&pageSize=5&cursor=" + forged);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cursor", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATruncatedCursorIsRefusedAndTheGenuineOneAccepted()
    {
        using var client = catalog.Factory.CreateClient();
        var cursor = await FirstCursorAsync(client);

        using var truncated = await client.GetAsync("/api/catalog/products?sort=price&pageSize=5&cursor=" + cursor[..^3]);
        using var genuine = await client.GetAsync("/api/catalog/products?sort=price&pageSize=5&cursor=" + cursor);

        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    private static async Task<string> FirstCursorAsync(HttpClient client)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/catalog/products?sort=price&pageSize=5");
        return page.GetProperty("nextCursor").GetString()!;
    }
}
