using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>
/// Each rule a seller's product or a buyer's order is held to, at its edge: exactly the limit is taken, one
/// more is refused with a 400 naming the field and the rule. Mutation testing found these edges unpinned
/// (any of <c>&gt;</c> for <c>&gt;=</c>, a dropped <c>||</c> branch or an emptied message passed).
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class InputRuleTests(CatalogFixture catalog)
{
    private static string Unique => Guid.NewGuid().ToString("N")[..12];

    public static TheoryData<string, string, string> RefusedProducts => new()
    {
        { """{"name":"NAME201","price":1,"categoryId":1}""", "name", "Name must be 1 to 200 characters." },
        { """{"name":"   ","price":1,"categoryId":1}""", "name", "Name must be 1 to 200 characters." },
        { """{"name":"x","price":1,"categoryId":1,"slug":"SLUG121"}""", "slug", "at most 120 characters" },
        { """{"name":"x","price":1,"categoryId":1,"slug":"two--hyphens"}""", "slug", "separated by single hyphens" },
        { """{"name":"x","price":1,"categoryId":1,"description":"DESCRIPTION5001"}""", "description", "Description must be at most 5000 characters." },
        { """{"name":"x","price":100000000.01,"categoryId":1}""", "price", "Price must be between 0 and 100000000 KES with at most 2 decimals." },
        { """{"name":"x","price":1.005,"categoryId":1}""", "price", "at most 2 decimals" },
        { """{"name":"x","price":1,"categoryId":1,"stock":-1}""", "stock", "Stock must be between 0 and 1000000." },
        { """{"name":"x","price":1,"categoryId":1,"stock":1000001}""", "stock", "Stock must be between 0 and 1000000." },
        { """{"name":"x","price":1,"categoryId":1,"status":"gone"}""", "status", "Status must be one of " },
        { """{"name":"x","price":1,"categoryId":0}""", "categoryId", "CategoryId must be a positive id." },
        { """{"price":1,"categoryId":1}""", "name", "'name' is required." },
        { """{"name":"x","categoryId":1}""", "price", "'price' is required." },
        { """{"name":"x","price":1}""", "categoryId", "'categoryId' is required." },
    };

    [Theory]
    [MemberData(nameof(RefusedProducts))]
    public async Task AProductPastARuleIsRefusedNamingTheFieldAndTheRule(string body, string field, string message)
    {
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessB);

        using var response = await seller.PostAsync("/api/catalog/products", Json(Expand(body)));

        Assert.Contains(message, await ValidationAnswers.FirstErrorAsync(response, field), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProductExactlyAtEveryLimitIsTaken()
    {
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessB);
        var slug = ("edge-" + Unique + "-").PadRight(120, 'a');

        using var highest = await seller.PostAsJsonAsync("/api/catalog/products", new
        {
            name = new string('n', 200), slug, description = new string('d', 5000), price = 100_000_000m, stock = 1_000_000, categoryId = 1, status = "draft",
        });
        using var lowest = await seller.PostAsJsonAsync("/api/catalog/products", new { name = "Zero " + Unique, price = 0m, stock = 0, categoryId = 1 });

        Assert.Equal(HttpStatusCode.Created, highest.StatusCode);
        var created = await highest.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(slug, created.GetProperty("slug").GetString());
        Assert.Equal(5000, created.GetProperty("description").GetString()!.Length);
        Assert.Equal(HttpStatusCode.Created, lowest.StatusCode);
    }

    [Fact]
    public async Task ASlugMadeFromALongNameKeepsItsFirstHundredCharactersAndANameWithNoLettersGetsAPlainOne()
    {
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessB);

        using var longName = await seller.PostAsJsonAsync("/api/catalog/products", new { name = "Ufuta " + new string('a', 150), price = 5m, categoryId = 1 });
        using var noLetters = await seller.PostAsJsonAsync("/api/catalog/products", new { name = "ንብ ማር", price = 5m, categoryId = 1 });

        var slug = (await longName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!;
        Assert.Matches("^ufuta-a{94}-[0-9]+$", slug);
        Assert.Matches("^product-[0-9]+$", (await noLetters.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!);
    }

    /// <summary>
    /// A lone surrogate is refused while the body is read (System.Text.Json), naming the field; the service's
    /// own check behind it (<c>StoredText.Clean</c>) is for text that arrives by another way.
    /// </summary>
    [Fact]
    public async Task ANameOrDescriptionHoldingALoneSurrogateIsRefused()
    {
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessB);

        using var name = await seller.PostAsync("/api/catalog/products", Json("""{"name":"Kikoi \ud800","price":1,"categoryId":1}"""));
        using var description = await seller.PostAsync("/api/catalog/products", Json("""{"name":"Kikoi","description":"half \udc00 pair","price":1,"categoryId":1}"""));

        Assert.Contains("The value of name is not of the expected kind", await ValidationAnswers.FirstErrorAsync(name, "name"), StringComparison.Ordinal);
        Assert.Contains("The value of description is not of the expected kind", await ValidationAnswers.FirstErrorAsync(description, "description"), StringComparison.Ordinal);
    }

    private static object Order(string? customerName = "Achieng Odhiambo", string? deliveryCounty = "Kisumu", object[]? lines = null) => new
    {
        customerName,
        customerPhone = "+254712345678",
        deliveryCounty,
        lines = lines ?? [new { productId = 2, quantity = 1 }],
    };

    private static object[] Lines(int count, int quantity = 1) => [.. Enumerable.Range(1, count).Select(i => new { productId = 1000 + i, quantity })];

    public static TheoryData<string, string> RefusedOrders => new()
    {
        { "customerName", "customerName is required, at most 120 characters." },
        { "deliveryCounty", "deliveryCounty is required, at most 60 characters." },
        { "tooManyLines", "An order has 1 to 50 lines." },
        { "noLines", "An order has 1 to 50 lines." },
        { "quantityZero", "Each line needs a productId and a quantity between 1 and 1000." },
        { "quantityTooMany", "Each line needs a productId and a quantity between 1 and 1000." },
        { "productZero", "Each line needs a productId and a quantity between 1 and 1000." },
        { "sameProductTwice", "Each product may appear on one line only." },
        // System.Text.Json refuses a lone surrogate while binding, before the order's own text check.
        { "loneSurrogate", "The value of customerName is not of the expected kind" },
    };

    [Theory]
    [MemberData(nameof(RefusedOrders))]
    public async Task AnOrderPastARuleIsRefusedNamingTheRule(string rule, string message)
    {
        object body = rule switch
        {
            "customerName" => Order(customerName: new string('c', 121)),
            "deliveryCounty" => Order(deliveryCounty: new string('k', 61)),
            "tooManyLines" => Order(lines: Lines(51)),
            "noLines" => Order(lines: []),
            "quantityZero" => Order(lines: [new { productId = 2, quantity = 0 }]),
            "quantityTooMany" => Order(lines: [new { productId = 2, quantity = 1001 }]),
            "productZero" => Order(lines: [new { productId = 0, quantity = 1 }]),
            "sameProductTwice" => Order(lines: [new { productId = 2, quantity = 1 }, new { productId = 2, quantity = 1 }]),
            _ => "{\"customerName\":\"Achieng \\ud800\",\"customerPhone\":\"+254712345678\",\"deliveryCounty\":\"Kisumu\",\"lines\":[{\"productId\":2,\"quantity\":1}]}",
        };
        using var buyer = TestTokens.Buyer(catalog.Factory);

        using var response = await buyer.SendAsync(PostOrder(Guid.NewGuid().ToString(), body));

        Assert.Contains(message, await ValidationAnswers.FirstErrorAsync(response, rule switch
        {
            "customerName" or "loneSurrogate" => "customerName",
            "deliveryCounty" => "deliveryCounty",
            _ => "lines",
        }), StringComparison.Ordinal);
    }

    /// <summary>At each limit the order passes its own rules and goes on to the stock check or is placed.</summary>
    [Fact]
    public async Task AnOrderExactlyAtItsLimitsPassesItsRules()
    {
        var shelf = await catalog.CreateProductAsync(stock: 5, categoryId: 1);
        using var buyer = TestTokens.Buyer(catalog.Factory);

        using var longest = await buyer.SendAsync(PostOrder(Guid.NewGuid().ToString(), Order(new string('c', 120), new string('k', 60), [new { productId = shelf, quantity = 1 }])));
        using var mostLines = await buyer.SendAsync(PostOrder(Guid.NewGuid().ToString(), Order(lines: Lines(50))));
        using var mostItems = await buyer.SendAsync(PostOrder(Guid.NewGuid().ToString(), Order(lines: [new { productId = shelf, quantity = 1000 }])));

        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        // Fifty lines of products that do not exist pass the order's own rules and are refused for what they name.
        Assert.Contains(mostLines.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Conflict });
        Assert.DoesNotContain("1 to 50 lines", await mostLines.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, mostItems.StatusCode);
        Assert.Contains("Not enough stock", await mostItems.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, '!', true)]
    [InlineData(20, '~', true)]
    [InlineData(101, 'a', false)]
    [InlineData(20, ' ', false)]
    [InlineData(20, '\u007f', false)]
    public async Task AnIdempotencyKeyIsOneToAHundredVisibleAsciiCharacters(int length, char filler, bool taken)
    {
        var shelf = await catalog.CreateProductAsync(stock: 5, categoryId: 1);
        using var buyer = TestTokens.Buyer(catalog.Factory);
        var key = Unique + new string(filler, length - 12);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/orders") { Content = JsonContent.Create(Order(lines: [new { productId = shelf, quantity = 1 }])) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await buyer.SendAsync(request);

        if (taken)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        else
        {
            Assert.Contains("1 to 100 visible ASCII characters", await ValidationAnswers.FirstErrorAsync(response, "Idempotency-Key"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/api/catalog/products/featured?limit={0}", 100)]
    [InlineData("/api/catalog/products/2/related?limit={0}", 50)]
    public async Task AListsLimitIsOneToItsMaximum(string path, int maximum)
    {
        using var client = catalog.Factory.CreateClient();

        foreach (var limit in new[] { 1, maximum })
        {
            using var taken = await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, limit));
            Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
            if (limit == 1)
            {
                Assert.Single((await taken.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
            }
        }

        foreach (var limit in new[] { 0, maximum + 1 })
        {
            using var refused = await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, limit));
            Assert.Contains($"limit must be between 1 and {maximum}.", await ValidationAnswers.FirstErrorAsync(refused, "limit"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheFeaturedAndTrendingListsHoldUpToTwentyWhenNoLimitIsGivenAndTheLimitWhenOneIs()
    {
        using var client = catalog.Factory.CreateClient();

        var featured = await catalog.ScalarAsync<long>("SELECT count(*) FROM products WHERE featured AND status = 'active'");
        Assert.Equal(Math.Min(20, featured), (await client.GetFromJsonAsync<JsonElement>("/api/catalog/products/featured")).GetArrayLength());
        Assert.Equal(3, (await client.GetFromJsonAsync<JsonElement>("/api/catalog/products/featured?limit=3")).GetArrayLength());
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/api/catalog/products/trending?window=week&limit=1")).GetArrayLength());
    }

    [Fact]
    public async Task ASlugOf120CharactersIsLookedUpAndOneOf121IsRefused()
    {
        using var client = catalog.Factory.CreateClient();

        using var longest = await client.GetAsync("/api/catalog/products/by-slug/" + new string('k', 120));
        using var tooLong = await client.GetAsync("/api/catalog/products/by-slug/" + new string('k', 121));

        Assert.Equal(HttpStatusCode.NotFound, longest.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task ASellersOwnListShowsEveryStatusUnlessOneIsAskedFor()
    {
        var draft = await catalog.CreateProductAsync(stock: 1, businessId: CatalogFixture.BusinessB, status: "draft", categoryId: 1);
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessB);

        var all = await seller.GetFromJsonAsync<JsonElement>("/api/catalog/seller/products?pageSize=100&category=1");
        var active = await seller.GetFromJsonAsync<JsonElement>("/api/catalog/seller/products?pageSize=100&category=1&status=active");

        Assert.Contains(all.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetInt64() == draft);
        Assert.DoesNotContain(active.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetInt64() == draft);
    }

    private static string Expand(string body) => body
        .Replace("NAME201", new string('n', 201), StringComparison.Ordinal)
        .Replace("SLUG121", new string('s', 121), StringComparison.Ordinal)
        .Replace("DESCRIPTION5001", new string('d', 5001), StringComparison.Ordinal);

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static HttpRequestMessage PostOrder(string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/orders")
        {
            Content = body as string is { } text ? Json(text) : JsonContent.Create(body),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
