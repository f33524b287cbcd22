using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hive.IntegrationTests;

/// <summary>What the invalidation tests do through the gateway, as a seller and as a buyer would.</summary>
internal static class FleetClient
{
    public sealed record Product(long Id, long BusinessId, string Name, string Slug, decimal Price, long Version);

    public static async Task<Product> AnyActiveProductAsync(HttpClient gateway, int skip = 0)
    {
        var page = await gateway.GetFromJsonAsync<JsonElement>("/api/catalog/products?sort=newest&pageSize=50");
        var card = page.GetProperty("items")[skip];
        return await ProductAsync(gateway, card.GetProperty("id").GetInt64());
    }

    public static async Task<Product> ProductAsync(HttpClient gateway, long id)
    {
        var body = await gateway.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{id}");
        return new Product(
            body.GetProperty("id").GetInt64(),
            body.GetProperty("businessId").GetInt64(),
            body.GetProperty("name").GetString()!,
            body.GetProperty("slug").GetString()!,
            body.GetProperty("price").GetDecimal(),
            body.GetProperty("version").GetInt64());
    }

    /// <summary>A gateway client signed in as the demo seller of <paramref name="businessId"/> (password grant, outside Production only).</summary>
    public static Task<HttpClient> SellerAsync(FleetFixture fleet, long businessId)
        => SignedInAsync(fleet, $"seller-{businessId}@hive.test");

    /// <summary>A gateway client signed in as the demo admin (featuring products is an admin's).</summary>
    public static Task<HttpClient> AdminAsync(FleetFixture fleet) => SignedInAsync(fleet, "admin@hive.test");

    /// <summary>A gateway client with an access token from the identity service for a demo account.</summary>
    public static async Task<HttpClient> SignedInAsync(FleetFixture fleet, string email)
    {
        var client = fleet.App.CreateHttpClient("gateway");
        client.Timeout = TimeSpan.FromSeconds(60);
        // One sign-in per account and fleet while its token is fresh: password hashing is slow by design.
        var key = (fleet, email);
        if (!Tokens.TryGetValue(key, out var cached) || cached.At < DateTime.UtcNow.AddMinutes(-10))
        {
            cached = (await AccessTokenAsync(client, email, FleetFixture.DemoPassword), DateTime.UtcNow);
            Tokens[key] = cached;
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cached.Token);
        return client;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(FleetFixture, string), (string Token, DateTime At)> Tokens = new();

    public static Task<string> AccessTokenAsync(HttpClient gateway, string email, string password)
        => Hive.Testing.PasswordGrant.TokenAsync(gateway, email, password);

    public static async Task UpdateAsync(HttpClient seller, long id, object changes)
    {
        using var response = await seller.PutAsJsonAsync($"/api/catalog/products/{id}", changes);
        Assert.True(response.IsSuccessStatusCode, $"update of product {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Every view of the product a buyer can be served from a cache, through the gateway.</summary>
    public static string[] Views(Product product, string searchQuery) =>
    [
        $"/api/catalog/products/{product.Id}",
        $"/api/catalog/products/by-slug/{product.Slug}",
        "/api/catalog/products?sort=newest&pageSize=50",
        $"/api/catalog/businesses/{product.BusinessId}/products?pageSize=100",
        "/api/catalog/products/featured?limit=100",
        $"/api/search?q={Uri.EscapeDataString(searchQuery)}&pageSize=10",
    ];

    /// <summary>
    /// Polls every view until all show the product at <paramref name="price"/>; returns how long that took,
    /// or fails naming the view that was still stale at the deadline.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilAllViewsShowAsync(
        HttpClient gateway, Product product, string searchQuery, decimal price, bool expectFeatured, TimeSpan timeout, string because)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var stale = await FirstStaleViewAsync(gateway, product, searchQuery, price, expectFeatured);
            if (stale is null)
            {
                return clock.Elapsed;
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Not within {timeout.TotalSeconds:0.#} s: {because}. Still stale: {stale}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>The first view that does not show the product at <paramref name="price"/>, or null when all do.</summary>
    public static async Task<string?> FirstStaleViewAsync(HttpClient gateway, Product product, string searchQuery, decimal price, bool expectFeatured)
    {
        foreach (var view in Views(product, searchQuery))
        {
            using var response = await gateway.GetAsync(view);
            if (!response.IsSuccessStatusCode)
            {
                return $"{view} answered {(int)response.StatusCode}";
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var entry = Find(body, product.Id);
            if (entry is null)
            {
                if (view.Contains("featured", StringComparison.Ordinal) && !expectFeatured)
                {
                    continue;
                }

                return $"{view} does not list the product";
            }

            if (entry.Value.GetProperty("price").GetDecimal() != price)
            {
                return $"{view} shows price {entry.Value.GetProperty("price").GetDecimal()}";
            }
        }

        return null;
    }

    private static JsonElement? Find(JsonElement body, long id)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("id", out var own) && own.GetInt64() == id)
        {
            return body;
        }

        var list = body.ValueKind == JsonValueKind.Array ? body
            : body.TryGetProperty("items", out var items) ? items
            : body.TryGetProperty("hits", out var hits) ? hits
            : default;
        if (list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var item in list.EnumerateArray())
        {
            if (item.GetProperty("id").GetInt64() == id)
            {
                return item;
            }
        }

        return null;
    }
}
