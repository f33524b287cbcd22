using System.Net;
using System.Net.Http.Json;
using Media.Api.Imaging;

namespace Media.Api.Tests.Apis;

/// <summary>
/// The edges of media's HTTP surface: conditional requests with several or weak ETags, the caching headers of
/// a negotiated named variant, an unknown image on every image route, and the parts of an upload form that
/// are refused with the field to fix.
/// </summary>
[Collection(MediaCollection.Name)]
public sealed class RequestEdgeTests(MediaFixture fixture)
{
    [Fact]
    public async Task IfNoneMatchIsAnsweredWith304WhenAnyTagMatchesWeaklyOrIsAStar()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(4, Pictures.Jpeg(300, 300));
        var url = fixture.SignedUrl(image.Id, image.Version, 120, 120, format: ImageFormat.Jpeg);
        using var client = fixture.Anonymous();
        using var first = await client.GetImageAsync(url);
        var tag = first.Headers.ETag!.Tag;

        foreach (var ifNoneMatch in new[] { $"\"stale\", {tag}", $"W/{tag}", "*", $"{tag}, \"other\"" })
        {
            using var conditional = await client.GetImageAsync(url, ifNoneMatch: ifNoneMatch);
            Assert.True(conditional.StatusCode == HttpStatusCode.NotModified, $"If-None-Match: {ifNoneMatch} gave {conditional.StatusCode}");
            Assert.Empty(await conditional.Content.ReadAsByteArrayAsync());
        }

        using var stale = await client.GetImageAsync(url, ifNoneMatch: "\"stale\", W/\"older\"");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await stale.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ANamedVariantVariesByAcceptAndIsCachedForMinutesNotAYear()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(4, Pictures.Jpeg(400, 400));
        using var client = fixture.Anonymous();

        using var webp = await client.GetImageAsync($"/api/media/images/{image.Id}/thumbnail", "image/webp");
        using var jpeg = await client.GetImageAsync($"/api/media/images/{image.Id}/thumbnail", "image/jpeg");

        Assert.Equal("image/webp", webp.Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", webp.Headers.Vary);
        Assert.Equal("public, max-age=300", webp.Headers.CacheControl?.ToString());
        Assert.NotEqual(webp.Headers.ETag, jpeg.Headers.ETag);
    }

    [Fact]
    public async Task EveryImageRouteAnswersAnUnknownImageWith404()
    {
        using var anonymous = fixture.Anonymous();
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        const long unknown = 987_654_321;

        foreach (var path in new[] { "variants", "responsive", "small" })
        {
            using var response = await anonymous.GetAsync($"/api/media/images/{unknown}/{path}");
            await response.AssertProblemAsync(404);
            Assert.Contains($"{unknown}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var replace = await seller.ReplaceAsync(unknown, Pictures.Jpeg(50, 50), "new.jpg");
        await replace.AssertProblemAsync(404);
        using var delete = await seller.DeleteAsync($"/api/media/images/{unknown}");
        await delete.AssertProblemAsync(404);
    }

    [Fact]
    public async Task AnUploadThatIsNoFormOrHasABadNameOrAltTextIsRefusedNamingTheField()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);

        using var json = await seller.PostAsJsonAsync("/api/media/products/1/images", new { file = "photo.jpg" });
        await json.AssertProblemAsync(415, "file");

        using var longName = await seller.UploadAsync(1, Pictures.Jpeg(40, 40), new string('a', 197) + ".jpg");
        await longName.AssertProblemAsync(400, "file");
        using var longestName = await seller.UploadAsync(1, Pictures.Jpeg(40, 40), new string('a', 196) + ".jpg");
        Assert.Equal(HttpStatusCode.Created, longestName.StatusCode);

        using var longAlt = await seller.UploadAsync(1, Pictures.Jpeg(40, 40), altText: new string('x', 301));
        await longAlt.AssertProblemAsync(400, "altText");
        using var controlAlt = await seller.UploadAsync(1, Pictures.Jpeg(40, 40), altText: "a\u0007bell");
        await controlAlt.AssertProblemAsync(400, "altText");
        using var longestAlt = await seller.UploadAsync(1, Pictures.Jpeg(40, 40), altText: new string('x', 300));
        Assert.Equal(HttpStatusCode.Created, longestAlt.StatusCode);
    }

    [Theory]
    [InlineData("sizes=100vw%22")]
    [InlineData("sizes=100vw%3E")]
    [InlineData("sizes=100vw%5C")]
    public async Task ResponsiveSizesWithQuotesAnglesOrBackslashesAre400(string query)
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(4, Pictures.Jpeg(300, 300));

        using var response = await fixture.Anonymous().GetAsync($"/api/media/images/{image.Id}/responsive?{query}");

        await response.AssertProblemAsync(400, "sizes");
    }
}
