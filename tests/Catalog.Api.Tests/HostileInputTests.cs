using System.Net.Http.Json;
using System.Text;
using CsCheck;
using Hive.Testing;
using static Hive.Testing.HostileInput;

namespace Catalog.Api.Tests;

/// <summary>
/// Property tests: arbitrary text, edge numbers and forged cursors in every query parameter, route value
/// and JSON body of the catalog get a 2xx or a 4xx ProblemDetails, never a 500. CsCheck prints the seed
/// of a failing case so it can be replayed.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class HostileInputTests(CatalogFixture catalog)
{
    private const long FuzzBusiness = 3;
    private const int Iterations = 150;

    [Fact]
    public Task NoQueryOfTheProductListMakesAServerError()
        => GetEachAsync(Gen.Select(Value, Value, Value, Value, Value, Value, Value, Value, (category, business, min, max, status, sort, size, cursor) =>
            "/api/catalog/products" + Query(
                ("category", category), ("business", business), ("minPrice", min), ("maxPrice", max),
                ("status", status), ("sort", sort), ("pageSize", size), ("cursor", cursor))));

    [Fact]
    public Task NoRouteValueOrQueryOfTheOtherReadsMakesAServerError()
        => GetEachAsync(Gen.Select(Text, Value, Value, Value, Gen.Int[0, 8], (route, a, b, c, which) => which switch
        {
            0 => "/api/catalog/products/" + Segment(route) + Query(("x", a)),
            1 => "/api/catalog/products/" + Segment(route) + "/related" + Query(("limit", a)),
            2 => "/api/catalog/products/by-slug/" + Segment(route),
            3 => "/api/catalog/businesses/" + Segment(route) + "/products" + Query(("sort", a), ("pageSize", b), ("cursor", c)),
            4 => "/api/catalog/businesses/1/products" + Query(("sort", a), ("pageSize", b), ("cursor", c)),
            5 => "/api/catalog/products/featured" + Query(("limit", a)),
            6 => "/api/catalog/products/trending" + Query(("window", a), ("limit", b)),
            7 => "/api/catalog/products/4/related" + Query(("limit", a)),
            _ => "/api/catalog/categories" + Query((route.Length > 0 ? Segment(route) : "q", a)),
        }));

    [Fact]
    public async Task NoQueryOrRouteValueOfTheSignedInReadsMakesAServerError()
    {
        using var buyer = TestTokens.Buyer(catalog.Factory);
        using var seller = TestTokens.Seller(catalog.Factory, CatalogFixture.BusinessA);
        await Gen.Select(Text, Value, Value, Value, Gen.Int[0, 4], (route, a, b, c, which) => which switch
        {
            0 => ("buyer", "/api/catalog/orders" + Query(("pageSize", a), ("cursor", b))),
            1 => ("buyer", "/api/catalog/orders/" + Segment(route)),
            2 => ("seller", "/api/catalog/orders" + Query(("pageSize", a), ("cursor", b))),
            3 => ("seller", "/api/catalog/seller/products/" + Segment(route)),
            _ => ("seller", "/api/catalog/seller/products" + Query(("status", a), ("sort", b), ("cursor", c), ("pageSize", route.Length > 3 ? route : null))),
        }).SampleAsync(
            async request =>
            {
                using var response = await (request.Item1 == "buyer" ? buyer : seller).GetAsync(request.Item2);
                await AssertNoServerErrorAsync(response, "GET " + request.Item2);
            },
            iter: Iterations,
            threads: 1);
    }

    [Fact]
    public async Task NoProductBodyMakesAServerErrorAndRefusedOnesStoreNothing()
    {
        await catalog.ScalarAsync<int>(
            "INSERT INTO businesses (id, name, slug, county) VALUES ($1, 'Fuzz Traders', 'fuzz-traders', 'Nakuru') ON CONFLICT (id) DO NOTHING RETURNING 1", FuzzBusiness);
        var own = await catalog.CreateProductAsync(stock: 5, businessId: FuzzBusiness);
        using var seller = TestTokens.Seller(catalog.Factory, FuzzBusiness);
        using var admin = TestTokens.Admin(catalog.Factory);
        var fields = Mutated(
            ("name", "\"Kikoi wrap\""), ("slug", "null"), ("description", "\"Cotton\""), ("price", "450.50"),
            ("stock", "7"), ("status", "\"active\""), ("featured", "false"), ("categoryId", "3"));
        var bodies = Gen.Frequency((6, fields), (1, Text), (1, JsonValue));

        await Gen.Select(bodies, Gen.Int[0, 3], Text).SampleAsync(
            async (body, which, route) =>
            {
                var (client, method, path) = which switch
                {
                    0 => (seller, HttpMethod.Post, "/api/catalog/products"),
                    1 => (seller, HttpMethod.Put, $"/api/catalog/products/{own}"),
                    2 => (admin, HttpMethod.Put, $"/api/catalog/products/{Segment(route)}/featured"),
                    _ => (seller, HttpMethod.Put, $"/api/catalog/products/{Segment(route)}"),
                };
                using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                using var response = await client.SendAsync(request);
                await AssertNoServerErrorAsync(response, $"{method} {path} {body[..Math.Min(body.Length, 300)]}");
            },
            iter: Iterations,
            threads: 1);

        // Whatever was accepted was cleaned: no control or bidi characters reached the table.
        Assert.Equal(0L, await catalog.ScalarAsync<long>(
            "SELECT count(*) FROM products WHERE business_id = $1 AND (name ~ '[\\x01-\\x1F\\x7F\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]' OR description ~ '[\\x01-\\x08\\x0B-\\x1F\\x7F\\u202A-\\u202E\\u2066-\\u2069]')",
            FuzzBusiness));
    }

    [Fact]
    public async Task NoOrderBodyOrKeyMakesAServerError()
    {
        var product = await catalog.CreateProductAsync(stock: 1_000_000, price: 99_999_999m);
        using var buyer = TestTokens.Buyer(catalog.Factory);
        var line = Gen.Frequency(
            (3, Gen.Select(Gen.OneOf(product.ToString(System.Globalization.CultureInfo.InvariantCulture), "2", "10"), Gen.Frequency((2, Gen.OneOf("1", "1000", "999")), (1, JsonValue)))
                .Select((id, quantity) => $"{{\"productId\":{id},\"quantity\":{quantity}}}")),
            (1, Gen.Select(JsonValue, JsonValue).Select((id, quantity) => $"{{\"productId\":{id},\"quantity\":{quantity}}}")),
            (1, JsonValue));
        var lines = Gen.Frequency((4, line.Array[0, 4].Select(l => "[" + string.Join(',', l) + "]")), (1, JsonValue));
        var body = Gen.Frequency(
            (6, Gen.Select(Mutated(("customerName", "\"Achieng\""), ("customerPhone", "\"+254712345678\""), ("deliveryCounty", "\"Kisumu\"")), lines)
                .Select((fields, l) => fields.TrimEnd('}') + (fields.Length > 2 ? "," : string.Empty) + "\"lines\":" + l + "}")),
            (1, Text));

        await Gen.Select(body, Gen.Frequency((3, Gen.Const(static () => (string?)Guid.NewGuid().ToString())), (1, Value))).SampleAsync(
            async (json, key) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                if (key is not null && key.All(c => c is >= ' ' and <= '~'))
                {
                    request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
                }

                using var response = await buyer.SendAsync(request);
                await AssertNoServerErrorAsync(response, $"POST /api/catalog/orders {json[..Math.Min(json.Length, 300)]}");
            },
            iter: Iterations,
            threads: 1);

        await Text.SampleAsync(
            async route =>
            {
                using var response = await buyer.PostAsync($"/api/catalog/orders/{Segment(route)}/cancel", null);
                await AssertNoServerErrorAsync(response, $"POST /api/catalog/orders/{route}/cancel");
            },
            iter: 50,
            threads: 1);
    }

    /// <summary>
    /// A valid JSON object with one or two of its members given hostile values (or left out), so each
    /// hostile value gets past the other fields' validation to the code and the database behind it.
    /// </summary>
    private static Gen<string> Mutated(params (string Name, string Valid)[] fields)
        => Gen.Select(Gen.Int[0, fields.Length - 1], Gen.Int[0, fields.Length * 2], Gen.Frequency((1, Gen.Const(static () => (string?)null)), (6, JsonValue.Select(v => (string?)v))), JsonValue)
            .Select((first, second, firstValue, secondValue) => "{" + string.Join(',', fields
                .Select((f, i) => i == first ? (firstValue is null ? null : $"\"{f.Name}\":{firstValue}")
                    : i == second ? $"\"{f.Name}\":{secondValue}"
                    : $"\"{f.Name}\":{f.Valid}")
                .Where(m => m is not null)) + "}");

    private async Task GetEachAsync(Gen<string> paths)
    {
        using var client = catalog.Factory.CreateClient();
        await paths.SampleAsync(
            async path =>
            {
                using var response = await client.GetAsync(path);
                await AssertNoServerErrorAsync(response, "GET " + path);
            },
            iter: Iterations,
            threads: 1);
    }
}

/// <summary>The roots of what the property tests found, as examples.</summary>
[Collection(CatalogCollection.Name)]
public sealed class StoredTextTests(CatalogFixture catalog)
{
    [Fact]
    public async Task ControlAndBidiCharactersAreRemovedFromStoredProductText()
    {
        using var seller = TestTokens.Seller(catalog.Factory, CatalogFixture.BusinessA);

        using var response = await seller.PostAsJsonAsync(
            "/api/catalog/products",
            new { name = "Kikoi\0 wrap \u202Egnp.exe\u202C", description = "Line one\nline\u0007 two \u2066x\u2069", price = 300, categoryId = 3 });

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var product = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("Kikoi wrap gnp.exe", product.GetProperty("name").GetString());
        Assert.Equal("Line one\nline two x", product.GetProperty("description").GetString());
    }

    [Fact]
    public async Task AProductNameWithALoneSurrogateIsRefusedNamingTheField()
    {
        using var seller = TestTokens.Seller(catalog.Factory, CatalogFixture.BusinessA);
        var before = await catalog.ScalarAsync<long>("SELECT count(*) FROM products");

        using var response = await seller.PostAsync(
            "/api/catalog/products",
            new StringContent("{\"name\":\"Kikoi \\ud800\",\"price\":300,\"categoryId\":3}", Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("name", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await catalog.ScalarAsync<long>("SELECT count(*) FROM products"));
    }

    [Fact]
    public async Task AStockBeyondTheLimitIsRefusedNamingTheField()
    {
        using var seller = TestTokens.Seller(catalog.Factory, CatalogFixture.BusinessA);

        using var response = await seller.PostAsJsonAsync("/api/catalog/products", new { name = "Sack of maize", price = 300, categoryId = 3, stock = int.MaxValue });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("stock", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
