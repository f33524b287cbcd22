using System.Net;
using NetVips;

namespace Media.Api.Tests.Apis;

[Collection(MediaCollection.Name)]
public sealed class UploadTests(MediaFixture fixture)
{
    [Fact]
    public async Task OwnerUploadsAJpegAndGetsItsSizePlaceholdersAndASignedCardUrl()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);

        var image = await seller.UploadOkAsync(1, Pictures.Jpeg(800, 600));

        Assert.Equal((800, 600, "image/jpeg", 1), (image.Width, image.Height, image.ContentType, image.Version));
        Assert.Equal(1, Convert.FromBase64String(image.Placeholder)[4] >> 7); // ThumbHash says landscape
        Assert.Equal(28, image.BlurHash.Length);
        Assert.Contains("sig=", image.CardUrl, StringComparison.Ordinal);
        Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT count(*) FROM media_images WHERE id = $1 AND product_id = 1", image.Id));

        using var card = await fixture.Anonymous().GetImageAsync(image.CardUrl, accept: "image/webp,*/*");
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        using var rendered = Image.NewFromBuffer(await card.Content.ReadAsByteArrayAsync());
        Assert.Equal((320, 320), (rendered.Width, rendered.Height));
    }

    [Theory]
    [InlineData("png", "image/png")]
    [InlineData("webp", "image/webp")]
    [InlineData("avif", "image/avif")]
    public async Task PngWebpAndAvifAreRecognisedByTheirBytesWhateverTheName(string kind, string expected)
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var bytes = kind switch
        {
            "png" => Pictures.Png(300, 200),
            "webp" => Pictures.Webp(300, 200),
            _ => Pictures.Avif(300, 200),
        };

        using var response = await seller.UploadAsync(2, bytes, fileName: "misleading.jpg", contentType: "image/jpeg");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherBusinessGetsNotFoundForTheProduct()
    {
        using var other = fixture.Seller(MediaFixture.BusinessB);

        using var response = await other.UploadAsync(1, Pictures.Jpeg(100, 100));

        await response.AssertProblemAsync(404);
        Assert.Equal(0, await fixture.ScalarAsync<long>("SELECT count(*) FROM media_images WHERE business_id = 2 AND product_id = 1"));
    }

    [Fact]
    public async Task AnonymousUploadIsRefused()
    {
        using var response = await fixture.Anonymous().UploadAsync(1, Pictures.Jpeg(100, 100));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ExifOrientationIsAppliedAndNoMetadataSurvivesInAnyRendering()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(3, Pictures.Jpeg(400, 200, orientation: 6, description: "GPS-secret-place"));

        // Stored upright: a 400×200 file turned a quarter is 200 wide, 400 high.
        Assert.Equal((200, 400), (image.Width, image.Height));

        var set = await fixture.Anonymous().VariantsAsync(image.Id);
        foreach (var format in set.Variants.Single(v => v.Name == "medium").Formats)
        {
            using var response = await fixture.Anonymous().GetImageAsync(format.Url);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.DoesNotContain("GPS-secret-place", System.Text.Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
            using var rendered = Image.NewFromBuffer(bytes);
            Assert.DoesNotContain(rendered.GetFields(), f => f.StartsWith("exif", StringComparison.Ordinal) || f is "orientation" or "xmp-data" or "icc-profile-data" or "iptc-data");
        }

        // Upright: the red block of the source's top-left corner is now at the top-right.
        var inside = fixture.SignedUrl(image.Id, image.Version, 100, 200, Imaging.Fit.Inside, format: Imaging.ImageFormat.Png);
        using var pngResponse = await fixture.Anonymous().GetImageAsync(inside);
        using var png = Image.NewFromBuffer(await pngResponse.Content.ReadAsByteArrayAsync());
        var topRight = png.Getpoint(png.Width - 3, 3);
        var topLeft = png.Getpoint(3, 3);
        Assert.True(topRight[0] > 200 && topRight[1] < 60, $"top right is {string.Join(',', topRight)}");
        Assert.False(topLeft[0] > 200 && topLeft[1] < 60, $"top left is {string.Join(',', topLeft)}");
    }
}
