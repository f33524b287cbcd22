using System.Net;
using System.Net.Http.Json;
using Media.Api.Delivery;
using NetVips;

namespace Media.Api.Tests.Apis;

[Collection(MediaCollection.Name)]
public sealed class VariantTests(MediaFixture fixture)
{
    [Fact]
    public async Task VariantsListEverySizePerFormatWithRealBytesAndThePlaceholder()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(2, Pictures.Jpeg(1600, 1200));

        var set = await fixture.Anonymous().VariantsAsync(image.Id);

        Assert.Equal(["thumbnail", "small", "medium", "large", "full"], set.Variants.Select(v => v.Name));
        Assert.Equal([(150, 150), (320, 320), (640, 640), (1024, 1024), (1200, 1200)], set.Variants.Select(v => (v.Width, v.Height)));
        Assert.Equal(image.Placeholder, set.Placeholder.ThumbHash);
        Assert.StartsWith("data:image/jpeg;base64,", set.Placeholder.DataUrl, StringComparison.Ordinal);
        Assert.True(set.Placeholder.DataUrl.Length < 2000);
        foreach (var variant in set.Variants)
        {
            Assert.Equal(["avif", "webp", "jpeg"], variant.Formats.Select(f => f.Format));
            foreach (var format in variant.Formats)
            {
                using var response = await fixture.Anonymous().GetImageAsync(format.Url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                Assert.Equal(format.Bytes, bytes.LongLength);
                using var decoded = Image.NewFromBuffer(bytes);
                Assert.Equal((variant.Width, variant.Height), (decoded.Width, decoded.Height));
            }
        }
    }

    /// <summary>
    /// A complete variant set (every size known) is kept in the cache: asked again, it is answered without
    /// the original, which is shown here by taking the original out of the store after the first answer.
    /// </summary>
    [Fact]
    public async Task ACompleteVariantSetIsAnsweredFromTheCacheWithoutTheOriginal()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(2, Pictures.Jpeg(400, 300));
        var first = await fixture.Anonymous().VariantsAsync(image.Id);
        Assert.All(first.Variants.SelectMany(v => v.Formats), f => Assert.NotNull(f.Bytes));

        File.Delete(fixture.StorePath(await fixture.StorageKeyAsync(image.Id)));
        var second = await fixture.Anonymous().VariantsAsync(image.Id);

        Assert.Equal(first.Placeholder, second.Placeholder);
        Assert.Equal(
            first.Variants.SelectMany(v => v.Formats.Select(f => (v.Name, f.Format, f.Url, f.Bytes))),
            second.Variants.SelectMany(v => v.Formats.Select(f => (v.Name, f.Format, f.Url, f.Bytes))));
    }

    [Fact]
    public async Task ResponsiveSetOffersTheLadderUpToMaxWidthWithSignedUrls()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(2, Pictures.Jpeg(1400, 1000));

        var set = await fixture.Anonymous().GetFromJsonAsync<ResponsiveSet>(
            $"/api/media/images/{image.Id}/responsive?sizes={Uri.EscapeDataString("(max-width: 768px) 100vw, 50vw")}&maxWidth=1200&aspectRatio=16:9");

        Assert.NotNull(set);
        Assert.Equal([160, 240, 320, 480, 640, 768, 960, 1024], set.Widths);
        Assert.Equal("(max-width: 768px) 100vw, 50vw", set.Sizes);
        Assert.Equal(1.78, set.AspectRatio);
        var candidates = set.Srcset.Split(", ");
        Assert.Equal(8, candidates.Length);
        var (url, descriptor) = (candidates[2].Split(' ')[0], candidates[2].Split(' ')[1]);
        Assert.Equal("320w", descriptor);
        using var response = await fixture.Anonymous().GetImageAsync(url, "image/webp");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var decoded = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((320, 180), (decoded.Width, decoded.Height));
    }
}

[Collection(MediaCollection.Name)]
public sealed class DemoImageTests(MediaFixture fixture)
{
    [Fact]
    public async Task SeededImageRendersFromItsDrawnDemoOriginalAndGetsPlaceholders()
    {
        // As the seeder writes them: a media row pointing at a demo design, no placeholder yet.
        var id = await fixture.ScalarAsync<long>(
            """
            INSERT INTO media_images (product_id, business_id, storage_key, content_type, width, height, bytes, placeholder, blurhash)
            VALUES (3, 1, 'demo/7-1200x900.jpg', 'image/jpeg', 1200, 900, 0, '', '') RETURNING id
            """);

        using var response = await fixture.Anonymous().GetImageAsync($"/api/media/images/{id}/small", "image/webp");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        using var decoded = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((320, 320), (decoded.Width, decoded.Height));
        var placeholder = await fixture.ScalarAsync<string>("SELECT placeholder FROM media_images WHERE id = $1", id);
        Assert.False(string.IsNullOrEmpty(placeholder));
        using var unknown = await fixture.Anonymous().GetImageAsync($"/api/media/images/{id}/huge");
        await unknown.AssertProblemAsync(404);
    }
}
