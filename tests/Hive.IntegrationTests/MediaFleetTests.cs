using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Hive.IntegrationTests;

/// <summary>Media through the gateway: seeded images render, uploads reach catalog answers, negotiation, 304, signatures, purge on replacement; seeded cards and search hits carry images.</summary>
[Collection(FleetCollection.Name)]
public sealed class MediaFleetTests(FleetFixture fleet, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly FleetExplanation _explanation = fleet.Explain(output);

    public ValueTask DisposeAsync() => _explanation.DisposeAsync();

    [Fact]
    public async Task SellerUploadReachesTheProductAnswerAndRendersThroughTheGateway()
    {
        var product = await FleetClient.AnyActiveProductAsync(fleet.Gateway, skip: 7);
        var detail = await fleet.Gateway.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}");
        var seeded = detail.GetProperty("images")[0].GetProperty("url").GetString()!;

        // A seeded image renders, negotiated from Accept, and revalidates with 304.
        using var avif = await GetAsync(seeded, "image/avif,image/webp,*/*");
        Assert.Equal(HttpStatusCode.OK, avif.StatusCode);
        Assert.Equal("image/avif", avif.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", avif.Headers.Vary);
        using var notModified = await GetAsync(seeded, "image/avif,image/webp,*/*", avif.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        // The seller uploads a photo (a large JPEG rendering of the seeded image will do).
        var photo = await (await GetAsync(seeded.Replace("/small", "/large", StringComparison.Ordinal), "image/jpeg")).Content.ReadAsByteArrayAsync();
        using var seller = await FleetClient.SellerAsync(fleet, product.BusinessId);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(photo);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "photo.jpg");
        using var upload = await seller.PostAsync($"/api/media/products/{product.Id}/images", form);
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        var image = await upload.Content.ReadFromJsonAsync<JsonElement>();
        var cardUrl = image.GetProperty("cardUrl").GetString()!;
        var placeholder = image.GetProperty("placeholder").GetString()!;

        using var card = await GetAsync(cardUrl, "image/webp");
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", card.Headers.CacheControl?.ToString());
        using var forged = await GetAsync(cardUrl.Replace("w=320", "w=1999", StringComparison.Ordinal), "image/webp");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        var variants = await fleet.Gateway.GetFromJsonAsync<JsonElement>($"/api/media/images/{image.GetProperty("id").GetInt64()}/variants");
        Assert.Equal(5, variants.GetProperty("variants").GetArrayLength());

        // Catalog learns of it (ProductImageChanged → product_images + ProductChanged) and its cached answer is renewed.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var answer = await fleet.Gateway.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}");
            if (answer.GetProperty("images").EnumerateArray().Any(i => i.TryGetProperty("placeholder", out var p) && p.GetString() == placeholder && i.GetProperty("url").GetString() == cardUrl))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the product answer never showed the uploaded image");
            await Task.Delay(100);
        }

        // A replacement purges: the old URL is gone (404), the new one carries version 2, catalog shows it.
        using var replacement = new MultipartFormDataContent();
        var smaller = new ByteArrayContent(await (await GetAsync(seeded.Replace("/small", "/medium", StringComparison.Ordinal), "image/jpeg")).Content.ReadAsByteArrayAsync());
        smaller.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        replacement.Add(smaller, "file", "replacement.jpg");
        using var replaced = await seller.PutAsync($"/api/media/images/{image.GetProperty("id").GetInt64()}", replacement);
        Assert.True(replaced.StatusCode == HttpStatusCode.OK, await replaced.Content.ReadAsStringAsync());
        var newCardUrl = (await replaced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cardUrl").GetString()!;
        Assert.Contains("v=2", newCardUrl, StringComparison.Ordinal);
        using var gone = await GetAsync(cardUrl, "image/webp");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var fresh = await GetAsync(newCardUrl, "image/webp");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(await fleet.Gateway.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product.Id}")).GetProperty("images").EnumerateArray().Any(i => i.GetProperty("url").GetString() == newCardUrl))
        {
            Assert.True(DateTime.UtcNow < deadline, "the product answer never showed the replaced image");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task SeededProductsCarryARenderableCardImageWithItsPlaceholderInCatalogAndSearchHits()
    {
        // Every list card with an image has its placeholder (products other tests create may have no image).
        var cards = (await fleet.Gateway.GetFromJsonAsync<JsonElement>("/api/catalog/products?sort=price_desc&pageSize=50")).GetProperty("items").EnumerateArray()
            .Where(c => c.GetProperty("image").ValueKind == JsonValueKind.Object).ToList();
        Assert.NotEmpty(cards);
        Assert.All(cards, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("image").GetProperty("placeholder").GetString())));
        var card = cards[0];

        // Search hits carry the first image too: the card's own, with its placeholder, and it renders.
        var hits = (await fleet.Gateway.GetFromJsonAsync<JsonElement>($"/api/search?q={Uri.EscapeDataString(card.GetProperty("name").GetString()!)}&pageSize=50"))
            .GetProperty("hits").EnumerateArray().Where(h => h.GetProperty("image").ValueKind == JsonValueKind.Object).ToList();
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.False(string.IsNullOrEmpty(h.GetProperty("image").GetProperty("placeholder").GetString())));
        foreach (var same in hits.Where(h => h.GetProperty("id").GetInt64() == card.GetProperty("id").GetInt64()))
        {
            Assert.Equal(card.GetProperty("image").GetRawText(), same.GetProperty("image").GetRawText());
        }

        using var rendered = await GetAsync(hits[0].GetProperty("image").GetProperty("url").GetString()!, "image/webp,*/*");
        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        Assert.Equal("image/webp", rendered.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string accept, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await fleet.Gateway.SendAsync(request);
    }
}
