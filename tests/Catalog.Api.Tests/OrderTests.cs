using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Catalog.Api.Tests;

[Collection(CatalogCollection.Name)]
public sealed class OrderTests(CatalogFixture catalog)
{
    private static object Body(long productId = 2, int quantity = 2) => new
    {
        customerName = "Achieng Odhiambo",
        customerPhone = "+254712345678",
        deliveryCounty = "Kisumu",
        lines = new[] { new { productId, quantity } },
    };

    private static HttpRequestMessage Post(string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/orders") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task TheSameIdempotencyKeyTwiceGivesOneOrderAndTheSameAnswer()
    {
        using var client = TestTokens.Buyer(catalog.Factory);
        var key = Guid.NewGuid().ToString();

        using var first = await client.SendAsync(Post(key, Body()));
        using var second = await client.SendAsync(Post(key, Body()));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1L, await catalog.ScalarAsync<long>("SELECT count(*) FROM orders WHERE idempotency_key = $1", key));
        // Only the replay says it is one (the client can tell "placed now" from "placed before").
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(["true"], second.Headers.GetValues("Idempotent-Replayed"));
    }

    [Fact]
    public async Task ConcurrentRetriesWithOneKeyPlaceOneOrder()
    {
        using var client = TestTokens.Buyer(catalog.Factory);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SendAsync(Post(key, Body(4, 1)))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1L, await catalog.ScalarAsync<long>("SELECT count(*) FROM orders WHERE idempotency_key = $1", key));
    }

    [Fact]
    public async Task TheSameKeyWithADifferentBodyIsAConflict()
    {
        using var client = TestTokens.Buyer(catalog.Factory);
        var key = Guid.NewGuid().ToString();
        using var first = await client.SendAsync(Post(key, Body(2, 1)));

        using var second = await client.SendAsync(Post(key, Body(2, 5)));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Idempotency-Key already used", problem.GetProperty("title").GetString());
        Assert.Equal("This Idempotency-Key was used for a different order body; use a new key for a new order.", problem.GetProperty("detail").GetString());
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task AnOrdersPageCanHoldOneOrder()
    {
        using var client = TestTokens.Buyer(catalog.Factory);
        using (var placed = await client.SendAsync(Post(Guid.NewGuid().ToString(), Body(6, 1))))
        {
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        }

        var page = await client.GetFromJsonAsync<JsonElement>("/api/catalog/orders?pageSize=1");

        Assert.Single(page.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task PricesComeFromTheCatalogNotTheClient()
    {
        using var client = TestTokens.Buyer(catalog.Factory);
        using var response = await client.SendAsync(Post(Guid.NewGuid().ToString(), Body(5, 3)));

        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        var price = await catalog.ScalarAsync<decimal>("SELECT price FROM products WHERE id = 5");
        Assert.Equal(price * 3, order.GetProperty("total").GetDecimal());
    }

    [Theory]
    [InlineData(null, "Idempotency-Key")]
    [InlineData("k-missing-lines", "lines")]
    public async Task AnOrderWithoutAKeyOrLinesIsA400(string? key, string field)
    {
        using var client = TestTokens.Buyer(catalog.Factory);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/orders")
        {
            Content = JsonContent.Create(new { customerName = "A", customerPhone = "+254700000000", deliveryCounty = "Nairobi", lines = Array.Empty<object>() }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key + Guid.NewGuid());
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADraftProductCannotBeOrderedAndNothingIsWritten()
    {
        using var client = TestTokens.Buyer(catalog.Factory);
        var key = Guid.NewGuid().ToString();

        using var response = await client.SendAsync(Post(key, Body(10, 1)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0L, await catalog.ScalarAsync<long>("SELECT count(*) FROM orders WHERE idempotency_key = $1", key));
    }
}
