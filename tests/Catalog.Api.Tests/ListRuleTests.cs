using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>
/// The list endpoints' filters at their edges, and keyset pages that end exactly where the data ends.
/// Mutation testing found the edges (<c>&lt;</c> for <c>&lt;=</c>) and the exactly-full last page unpinned.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class ListRuleTests(CatalogFixture catalog)
{
    [Theory]
    [InlineData("category=0", "category", "category must be a positive category id.")]
    [InlineData("business=0", "business", "business must be a positive business id.")]
    [InlineData("minPrice=-0.01", "minPrice", "minPrice must be between 0 and 100000000.")]
    [InlineData("minPrice=100000000.01", "minPrice", "minPrice must be between 0 and 100000000.")]
    [InlineData("maxPrice=-0.01", "maxPrice", "maxPrice must be between 0 and 100000000.")]
    [InlineData("maxPrice=100000000.01", "maxPrice", "maxPrice must be between 0 and 100000000.")]
    [InlineData("minPrice=10&maxPrice=9.99", "minPrice", "minPrice cannot be greater than maxPrice.")]
    [InlineData("sort=cheapest", "sort", "sort must be newest, price (ascending) or price_desc.")]
    [InlineData("pageSize=0", "pageSize", "pageSize must be between 1 and 100.")]
    [InlineData("pageSize=101", "pageSize", "pageSize must be between 1 and 100.")]
    [InlineData("cursor=bm90LWEtY3Vyc29y", "cursor", "cursor is not one this service issued for this sort; start again without a cursor.")]
    public async Task AFilterPastItsEdgeIsRefusedNamingIt(string query, string field, string message)
    {
        using var client = catalog.Factory.CreateClient();

        using var response = await client.GetAsync("/api/catalog/products?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(message, errors.GetProperty(field)[0].GetString());
    }

    [Theory]
    [InlineData("category=1")]
    [InlineData("business=1")]
    [InlineData("minPrice=0&maxPrice=0")]
    [InlineData("minPrice=100000000&maxPrice=100000000")]
    [InlineData("minPrice=5&maxPrice=5")]
    [InlineData("pageSize=1")]
    [InlineData("pageSize=100")]
    public async Task AFilterAtItsEdgeIsTaken(string query)
    {
        using var client = catalog.Factory.CreateClient();

        using var response = await client.GetAsync("/api/catalog/products?" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A page that holds the last matching products exactly has them all and no cursor to a next page.</summary>
    [Fact]
    public async Task APageThatEndsExactlyWithTheDataHasNoNextCursor()
    {
        const decimal price = 4321.77m;
        var ids = new[] { await catalog.CreateProductAsync(stock: 1, price, categoryId: 1), await catalog.CreateProductAsync(stock: 1, price, categoryId: 1) };
        using var client = catalog.Factory.CreateClient();

        var exact = await client.GetFromJsonAsync<JsonElement>("/api/catalog/products?minPrice=4321.77&maxPrice=4321.77&pageSize=2");
        var short1 = await client.GetFromJsonAsync<JsonElement>("/api/catalog/products?minPrice=4321.77&maxPrice=4321.77&pageSize=1");

        Assert.Equal(ids.Order(), exact.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).Order());
        Assert.Equal(JsonValueKind.Null, exact.GetProperty("nextCursor").ValueKind);
        Assert.Single(short1.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.String, short1.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task ABuyersOrdersOnAPageOfExactlyTheirNumberComeWithNoNextCursor()
    {
        var shelf = await catalog.CreateProductAsync(stock: 10, categoryId: 1);
        using var buyer = TestTokens.Buyer(catalog.Factory);
        for (var i = 0; i < 2; i++)
        {
            using var placed = await buyer.SendAsync(OrderRequest(new { productId = shelf, quantity = 1 }));
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        }

        var page = await buyer.GetFromJsonAsync<JsonElement>("/api/catalog/orders?pageSize=2");

        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    /// <summary>Lines are numbered in the order sent, the total is the sum of price × quantity over every line.</summary>
    [Fact]
    public async Task AnOrdersLinesAreNumberedAsSentAndItsTotalIsTheirSum()
    {
        var (a, b) = (await catalog.CreateProductAsync(stock: 10, price: 120m, categoryId: 1), await catalog.CreateProductAsync(stock: 10, price: 35.50m, categoryId: 1));
        using var buyer = TestTokens.Buyer(catalog.Factory);

        using var response = await buyer.SendAsync(OrderRequest(new { productId = b, quantity = 3 }, new { productId = a, quantity = 2 }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(346.50m, order.GetProperty("total").GetDecimal());
        var lines = order.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("lineNo").GetInt32(), l.GetProperty("productId").GetInt64())).ToList();
        Assert.Equal([(1, b), (2, a)], lines);
        Assert.Equal(response.Headers.Location?.OriginalString, $"/api/catalog/orders/{order.GetProperty("id").GetInt64()}");
    }

    /// <summary>Every short product is named, in id order; a product that cannot be ordered at all is named too.</summary>
    [Fact]
    public async Task AnOrderThatCannotBeFilledNamesEachProductItCannotHave()
    {
        var (a, b) = (await catalog.CreateProductAsync(stock: 1, categoryId: 1), await catalog.CreateProductAsync(stock: 2, categoryId: 1));
        var draft = await catalog.CreateProductAsync(stock: 5, status: "draft", categoryId: 1);
        var otherBusiness = await catalog.CreateProductAsync(stock: 5, businessId: CatalogFixture.BusinessB, categoryId: 1);
        using var buyer = TestTokens.Buyer(catalog.Factory);

        using var shortOfBoth = await buyer.SendAsync(OrderRequest(new { productId = b, quantity = 3 }, new { productId = a, quantity = 2 }));
        using var unavailable = await buyer.SendAsync(OrderRequest(new { productId = draft, quantity = 1 }));
        using var twoBusinesses = await buyer.SendAsync(OrderRequest(new { productId = a, quantity = 1 }, new { productId = otherBusiness, quantity = 1 }));

        Assert.Equal(HttpStatusCode.Conflict, shortOfBoth.StatusCode);
        var detail = (await shortOfBoth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.StartsWith($"Product {a} (Test item ", detail, StringComparison.Ordinal);
        Assert.Contains($"has 1 left; the order asks for 2. Product {b} (", detail, StringComparison.Ordinal);
        Assert.EndsWith("has 2 left; the order asks for 3.", detail, StringComparison.Ordinal);
        Assert.Equal($"Not available to order: product {draft}.", await ValidationAnswers.FirstErrorAsync(unavailable, "lines"));
        Assert.Equal("An order holds products of one business; place one order per business.", await ValidationAnswers.FirstErrorAsync(twoBusinesses, "lines"));
    }

    private static HttpRequestMessage OrderRequest(params object[] lines)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/orders")
        {
            Content = JsonContent.Create(new { customerName = "Wanjiru Kamau", customerPhone = "+254722000111", deliveryCounty = "Nyeri", lines }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }
}
