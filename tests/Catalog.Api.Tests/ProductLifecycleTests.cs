using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>
/// A product's life through the seller's and the admin's writes: each field sent is stored (and a field left
/// out keeps its value), and each write leaves exactly one ProductChanged of its kind and version in the
/// outbox, in the write's own transaction, for every service to evict on.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class ProductLifecycleTests(CatalogFixture catalog)
{
    [Fact]
    public async Task EachWriteStoresWhatWasSentAndLeavesOneEventOfItsKindAndVersion()
    {
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessB);
        using var admin = TestTokens.ClientWith(catalog, TestTokens.Admin(catalog));

        using var created = await seller.PostAsJsonAsync("/api/catalog/products", new { name = "Sufuria set", description = "Three aluminium pots", price = 2450.50m, stock = 7, categoryId = 1, status = "draft" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await AssertStoredAsync(seller, id, ("name", "Sufuria set"), ("description", "Three aluminium pots"), ("price", 2450.50m), ("stock", 7), ("categoryId", 1), ("status", "draft"), ("featured", false));

        using var defaults = await seller.PostAsJsonAsync("/api/catalog/products", new { name = "Jiko stove", price = 1800m, categoryId = 1 });
        var defaultsId = (await defaults.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await AssertStoredAsync(seller, defaultsId, ("description", ""), ("stock", 0), ("status", "active"), ("featured", false));

        // Each field on its own, the others left as they are.
        (string Field, object Value)[] changes = [("name", "Sufuria set of three"), ("description", "Three pots with lids"), ("price", 2600m), ("stock", 5), ("categoryId", 2), ("status", "active"), ("slug", "sufuria-set-of-three-" + id)];
        foreach (var (field, value) in changes)
        {
            using var update = await seller.PutAsync($"/api/catalog/products/{id}", JsonContent.Create(new Dictionary<string, object> { [field] = value }));
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        await AssertStoredAsync(seller, id, ("name", "Sufuria set of three"), ("description", "Three pots with lids"), ("price", 2600m), ("stock", 5), ("categoryId", 2), ("status", "active"), ("slug", "sufuria-set-of-three-" + id));

        using var featured = await admin.PutAsJsonAsync($"/api/catalog/products/{id}/featured", new { featured = true });
        Assert.Equal(HttpStatusCode.OK, featured.StatusCode);
        await AssertStoredAsync(seller, id, ("featured", true));
        using var deleted = await seller.DeleteAsync($"/api/catalog/products/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var expected = new[] { "Created:1" }
            .Concat(changes.Select((_, i) => $"Updated:{i + 2}"))
            .Append($"Updated:{changes.Length + 2}")
            .Append($"Deleted:{changes.Length + 3}");
        Assert.Equal(expected, await EventsAsync(id));
        Assert.Equal(["Created:1"], await EventsAsync(defaultsId));
    }

    [Fact]
    public async Task FeaturingAProductThatDoesNotExistIsA404AndABadFlagIsA400()
    {
        using var admin = TestTokens.ClientWith(catalog, TestTokens.Admin(catalog));

        using var missing = await admin.PutAsJsonAsync("/api/catalog/products/987654/featured", new { featured = true });
        using var bad = await admin.PutAsync("/api/catalog/products/1/featured", JsonContent.Create(new { featured = (bool?)null }));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("No product has id 987654.", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("featured must be true or false.", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string[]> EventsAsync(long productId)
    {
        var joined = await catalog.ScalarAsync<string>(
            "SELECT coalesce(string_agg((payload->>'kind') || ':' || (payload->>'version'), ',' ORDER BY id), '') FROM outbox_messages WHERE message_type = 'ProductChanged' AND aggregate_id = $1",
            productId);
        return string.IsNullOrEmpty(joined) ? [] : joined.Split(',');
    }

    /// <summary>Reads the product fresh as its seller sees it (drafts included) and compares the named fields.</summary>
    private static async Task AssertStoredAsync(HttpClient seller, long id, params (string Field, object Value)[] expected)
    {
        var product = await seller.GetFromJsonAsync<JsonElement>($"/api/catalog/seller/products/{id}");
        foreach (var (field, value) in expected)
        {
            var actual = product.GetProperty(field);
            object read = value switch
            {
                decimal => actual.GetDecimal(),
                int => actual.GetInt32(),
                bool => actual.GetBoolean(),
                _ => actual.GetString()!,
            };
            Assert.True(value.Equals(read), $"{field}: expected {value}, stored {read}");
        }
    }
}
