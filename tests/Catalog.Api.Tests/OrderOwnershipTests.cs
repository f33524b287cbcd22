using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Catalog.Api.Tests.OrderStockTests;

namespace Catalog.Api.Tests;

/// <summary>Orders belong to the buyer who placed them; a seller sees its business's orders; nobody sees anyone else's.</summary>
[Collection(CatalogCollection.Name)]
public sealed class OrderOwnershipTests(CatalogFixture catalog)
{
    [Fact]
    public async Task PlacingAnOrderNeedsABuyerToken()
    {
        var product = await catalog.CreateProductAsync(stock: 5);
        using var anonymous = catalog.Factory.CreateClient();
        using var seller = TestTokens.Seller(catalog.Factory, CatalogFixture.BusinessA);

        using var withoutToken = await anonymous.SendAsync(Post(Body((product, 1))));
        using var withSellerToken = await seller.SendAsync(Post(Body((product, 1))));

        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withSellerToken.StatusCode);
        Assert.Equal("application/problem+json", withoutToken.Content.Headers.ContentType?.MediaType);
        Assert.Equal(5, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", product));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyFromTwoBuyersPlacesTwoOrders()
    {
        var product = await catalog.CreateProductAsync(stock: 5);
        using var first = TestTokens.Buyer(catalog.Factory);
        using var second = TestTokens.Buyer(catalog.Factory);
        var key = Guid.NewGuid().ToString();

        using var a = await first.SendAsync(Post(Body((product, 1)), key));
        using var b = await second.SendAsync(Post(Body((product, 1)), key));

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.NotEqual(await IdOf(a), await IdOf(b));
        Assert.False(b.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(3, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", product));
    }

    [Fact]
    public async Task AnIdempotencyKeyPlacesANewOrderOnceItHasExpired()
    {
        var product = await catalog.CreateProductAsync(stock: 5);
        using var buyer = TestTokens.Buyer(catalog.Factory);
        var key = Guid.NewGuid().ToString();
        using var first = await buyer.SendAsync(Post(Body((product, 1)), key));
        var firstId = await IdOf(first);
        using var replay = await buyer.SendAsync(Post(Body((product, 1)), key));

        // The default lifetime is 24 hours: age the first order past it.
        await catalog.ScalarAsync<int>("UPDATE orders SET created_at = now() - interval '25 hours' WHERE id = $1 RETURNING 1", firstId);
        using var afterExpiry = await buyer.SendAsync(Post(Body((product, 1)), key));

        Assert.Equal(firstId, await IdOf(replay));
        Assert.Equal(HttpStatusCode.Created, afterExpiry.StatusCode);
        Assert.NotEqual(firstId, await IdOf(afterExpiry));
        Assert.Equal(3, await catalog.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", product));
    }

    [Fact]
    public async Task ABuyerListsOnlyItsOwnOrdersInKeysetPages()
    {
        var product = await catalog.CreateProductAsync(stock: 10);
        using var buyer = TestTokens.Buyer(catalog.Factory);
        using var other = TestTokens.Buyer(catalog.Factory);
        var placed = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await buyer.SendAsync(Post(Body((product, 1))));
            placed.Add(await IdOf(response));
        }

        using var otherOrder = await other.SendAsync(Post(Body((product, 1))));

        var first = await buyer.GetFromJsonAsync<JsonElement>("/api/catalog/orders?pageSize=2");
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await buyer.GetFromJsonAsync<JsonElement>($"/api/catalog/orders?pageSize=2&cursor={Uri.EscapeDataString(cursor!)}");
        var seen = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(o => o.GetProperty("id").GetInt64()).ToList();

        Assert.Equal(placed.AsEnumerable().Reverse(), seen);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        var others = await other.GetFromJsonAsync<JsonElement>("/api/catalog/orders");
        Assert.Equal([await IdOf(otherOrder)], others.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));

        using var borrowedCursor = await other.GetAsync($"/api/catalog/orders?cursor={Uri.EscapeDataString(cursor!)}");
        using var forgedCursor = await buyer.GetAsync("/api/catalog/orders?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(HttpStatusCode.BadRequest, borrowedCursor.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forgedCursor.StatusCode);
    }

    [Fact]
    public async Task ASellerSeesItsBusinessOrdersAndNobodySeesAnyoneElses()
    {
        var product = await catalog.CreateProductAsync(stock: 5, businessId: CatalogFixture.BusinessB);
        using var buyer = TestTokens.Buyer(catalog.Factory);
        using var stranger = TestTokens.Buyer(catalog.Factory);
        using var sellerB = TestTokens.Seller(catalog.Factory, CatalogFixture.BusinessB);
        using var sellerA = TestTokens.Seller(catalog.Factory, CatalogFixture.BusinessA);
        using var anonymous = catalog.Factory.CreateClient();
        using var placed = await buyer.SendAsync(Post(Body((product, 2))));
        var orderId = await IdOf(placed);

        var sellerBOrders = await sellerB.GetFromJsonAsync<JsonElement>("/api/catalog/orders?pageSize=100");
        var sellerAOrders = await sellerA.GetFromJsonAsync<JsonElement>("/api/catalog/orders?pageSize=100");

        Assert.Contains(orderId, sellerBOrders.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));
        Assert.DoesNotContain(orderId, sellerAOrders.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));
        Assert.Equal(HttpStatusCode.OK, (await buyer.GetAsync($"/api/catalog/orders/{orderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sellerB.GetAsync($"/api/catalog/orders/{orderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/catalog/orders/{orderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sellerA.GetAsync($"/api/catalog/orders/{orderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/catalog/orders/{orderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/catalog/orders")).StatusCode);
    }

    private static async Task<long> IdOf(HttpResponseMessage response)
        => (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
}
