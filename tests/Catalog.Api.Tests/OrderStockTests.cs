using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;

namespace Catalog.Api.Tests;

/// <summary>Orders reserve stock: never more than is on the shelf, all lines or none, and a cancellation puts it back.</summary>
[Collection(CatalogCollection.Name)]
public sealed class OrderStockTests(CatalogFixture catalog)
{
    internal static object Body(params (long ProductId, int Quantity)[] lines) => new
    {
        customerName = "Achieng Odhiambo",
        customerPhone = "+254712345678",
        deliveryCounty = "Kisumu",
        lines = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }).ToArray(),
    };

    internal static HttpRequestMessage Post(object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/orders") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return request;
    }

    [Fact]
    public async Task TenConcurrentOrdersForTheLastFiveUnitsSellExactlyFiveAcrossTwoReplicas()
    {
        var product = await catalog.CreateProductAsync(stock: 5);
        await using var replica = catalog.CreateReplica();
        var clients = Enumerable.Range(0, 10)
            .Select(i => TestTokens.Buyer(i % 2 == 0 ? catalog.Factory : replica))
            .ToList();

        var responses = await Task.WhenAll(clients.Select(c => c.SendAsync(Post(Body((product, 1))))));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(0, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", product));
        Assert.Equal(5L, await catalog.ScalarAsync<long>("SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE product_id = $1", product));
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task AnOrderForMoreThanIsLeftIsA409NamingTheProductAndWhatIsLeftAndChangesNothing()
    {
        var product = await catalog.CreateProductAsync(stock: 3);
        using var client = TestTokens.Buyer(catalog.Factory);
        var key = Guid.NewGuid().ToString();

        using var response = await client.SendAsync(Post(Body((product, 4)), key));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains($"Product {product}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("has 3 left", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var shortage = problem.GetProperty("shortages")[0];
        Assert.Equal(product, shortage.GetProperty("productId").GetInt64());
        Assert.Equal(3, shortage.GetProperty("available").GetInt32());
        Assert.Equal(3, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", product));
        Assert.Equal(0L, await catalog.ScalarAsync<long>("SELECT count(*) FROM orders WHERE idempotency_key = $1", key));
    }

    [Fact]
    public async Task AnOrderTakesStockForAllItsLinesOrNone()
    {
        var plenty = await catalog.CreateProductAsync(stock: 10);
        var scarce = await catalog.CreateProductAsync(stock: 1);
        using var client = TestTokens.Buyer(catalog.Factory);

        using var refused = await client.SendAsync(Post(Body((plenty, 2), (scarce, 2))));
        using var placed = await client.SendAsync(Post(Body((plenty, 2), (scarce, 1))));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        Assert.Equal(8, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", plenty));
        Assert.Equal(0, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", scarce));
    }

    [Fact]
    public async Task CancellingAnOrderReturnsItsStockOnce()
    {
        var product = await catalog.CreateProductAsync(stock: 4);
        using var client = TestTokens.Buyer(catalog.Factory);
        using var placed = await client.SendAsync(Post(Body((product, 3))));
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(1, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", product));

        using var cancelled = await client.PostAsync($"/api/catalog/orders/{orderId}/cancel", null);
        using var again = await client.PostAsync($"/api/catalog/orders/{orderId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(4, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", product));
    }

    [Fact]
    public async Task AShippedOrderCannotBeCancelledAndAnotherBuyersOrderIsNotFound()
    {
        var product = await catalog.CreateProductAsync(stock: 4);
        using var owner = TestTokens.Buyer(catalog.Factory);
        using var stranger = TestTokens.Buyer(catalog.Factory);
        using var placed = await owner.SendAsync(Post(Body((product, 1))));
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        using var byStranger = await stranger.PostAsync($"/api/catalog/orders/{orderId}/cancel", null);
        await catalog.ScalarAsync<int>("UPDATE orders SET status = 'shipped' WHERE id = $1 RETURNING 1", orderId);
        using var afterShipping = await owner.PostAsync($"/api/catalog/orders/{orderId}/cancel", null);

        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, afterShipping.StatusCode);
        Assert.Contains("shipped", await afterShipping.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", product));
    }

    [Fact]
    public async Task StockChangesWriteProductChangedInTheOrdersTransaction()
    {
        var product = await catalog.CreateProductAsync(stock: 2);
        using var client = TestTokens.Buyer(catalog.Factory);
        var versionBefore = await catalog.ScalarAsync<long>("SELECT version FROM products WHERE id = $1", product);

        using var placed = await client.SendAsync(Post(Body((product, 1))));
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var cancelled = await client.PostAsync($"/api/catalog/orders/{orderId}/cancel", null);

        Assert.Equal(versionBefore + 2, await catalog.ScalarAsync<long>("SELECT version FROM products WHERE id = $1", product));
        Assert.Equal(2L, await catalog.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type = 'ProductChanged' AND aggregate_id = $1 AND (payload->>'version')::bigint > $2",
            product,
            versionBefore));
    }

    [Fact]
    public async Task AProductThatSellsOutSaysSoInItsCachedAnswers()
    {
        var product = await catalog.CreateProductAsync(stock: 1);
        using var reader = catalog.Factory.CreateClient();
        var before = await reader.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product}");
        Assert.True(before.GetProperty("inStock").GetBoolean());

        using var buyer = TestTokens.Buyer(catalog.Factory);
        using var placed = await buyer.SendAsync(Post(Body((product, 1))));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);

        var after = await Eventually.SucceedsAsync(
            () => reader.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product}"),
            p => !p.GetProperty("inStock").GetBoolean(),
            TimeSpan.FromSeconds(30),
            "the sold-out product's cached answer is dropped by its ProductChanged event");
        Assert.Equal(0, after.GetProperty("stock").GetInt32());
        var page = await reader.GetFromJsonAsync<JsonElement>("/api/catalog/products?category=3&pageSize=5");
        Assert.True(page.GetProperty("items")[0].TryGetProperty("inStock", out _));
    }

    [Fact]
    public async Task AnOrderWhoseTotalCannotBeStoredIsRefusedAsA400()
    {
        var product = await catalog.CreateProductAsync(stock: 5000, price: 100_000_000m);
        using var client = TestTokens.Buyer(catalog.Factory);
        var key = Guid.NewGuid().ToString();

        using var response = await client.SendAsync(Post(Body((product, 1000)), key));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("total", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(5000, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", product));
        Assert.Equal(0L, await catalog.ScalarAsync<long>("SELECT count(*) FROM orders WHERE idempotency_key = $1", key));
    }
}
