using System.Net;
using Media.Api.Imaging;
using NetVips;

namespace Media.Api.Tests.Apis;

[Collection(MediaCollection.Name)]
public sealed class RenderingTests(MediaFixture fixture)
{
    [Theory]
    [InlineData("image/avif,image/webp,image/apng,*/*;q=0.8", "image/avif")]
    [InlineData("image/webp,*/*", "image/webp")]
    [InlineData("image/avif;q=0,image/webp", "image/webp")]
    [InlineData("*/*", "image/jpeg")]
    public async Task AutoFormatFollowsTheAcceptHeaderAndSaysItVariesByIt(string accept, string expected)
    {
        var image = await UploadAsync(4, 640, 480);

        using var response = await fixture.Anonymous().GetImageAsync(image.CardUrl, accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        using var decoded = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((320, 320), (decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task VersionedRenderingIsImmutableWithAStrongETagAndAnswers304()
    {
        var image = await UploadAsync(4, 500, 500);
        using var client = fixture.Anonymous();

        using var first = await client.GetImageAsync(image.CardUrl, "image/webp");
        var etag = first.Headers.ETag;

        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal("public, max-age=31536000, immutable", first.Headers.CacheControl?.ToString());
        using var again = await client.GetImageAsync(image.CardUrl, "image/webp", ifNoneMatch: etag.Tag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag);
        using var otherFormat = await client.GetImageAsync(image.CardUrl, "image/avif", ifNoneMatch: etag.Tag);
        Assert.Equal(HttpStatusCode.OK, otherFormat.StatusCode);
    }

    [Fact]
    public async Task ChangedParametersOrAMissingSignatureAre403()
    {
        var image = await UploadAsync(4, 400, 400);
        using var client = fixture.Anonymous();

        using var bigger = await client.GetImageAsync(image.CardUrl.Replace("w=320", "w=321", StringComparison.Ordinal));
        using var unsigned = await client.GetImageAsync($"/api/media/images/{image.Id}?w=200&h=200");
        using var forged = await client.GetImageAsync($"/api/media/images/{image.Id}?w=200&h=200&sig=AAAAAAAAAAAAAAAAAAAAAA");

        await bigger.AssertProblemAsync(403, "sig");
        await unsigned.AssertProblemAsync(403, "sig");
        await forged.AssertProblemAsync(403, "sig");
    }

    [Fact]
    public async Task ConcurrentRequestsForOneRenderingRenderItOnce()
    {
        var image = await UploadAsync(5, 1200, 900);
        var url = fixture.SignedUrl(image.Id, image.Version, 777, 555, format: ImageFormat.Webp);
        var before = fixture.Renderings.Renders;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.Anonymous().GetImageAsync(url)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync()));
        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        Assert.Equal(before + 1, fixture.Renderings.Renders);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task SmallRenderingsAreServedFromRedisAndLargeOnesFromDisk()
    {
        var image = await UploadAsync(5, 2000, 1500);
        var small = fixture.SignedUrl(image.Id, image.Version, 150, 150, format: ImageFormat.Jpeg);
        var large = fixture.SignedUrl(image.Id, image.Version, 1900, 1400, format: ImageFormat.Png);
        using var client = fixture.Anonymous();

        (await client.GetImageAsync(small)).Dispose();
        (await client.GetImageAsync(large)).Dispose();
        var rendered = fixture.Renderings.Renders;
        using var smallAgain = await client.GetImageAsync(small);
        using var largeAgain = await client.GetImageAsync(large);

        Assert.Equal(HttpStatusCode.OK, smallAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, largeAgain.StatusCode);
        Assert.Equal(rendered, fixture.Renderings.Renders);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(fixture.DataRoot, "renderings", "5"), $"{image.Id}-v1-1900x1400*.bin"));
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.RedisConfiguration);
        var keys = redis.GetServers()[0].Keys(pattern: $"media:rendering:{image.Id}-v1-150x150*").ToList();
        Assert.NotEmpty(keys);
    }

    [Theory]
    [InlineData(Fit.Cover, 300, 200, 300, 200)]
    [InlineData(Fit.Contain, 300, 300, 300, 300)]
    [InlineData(Fit.Fill, 300, 100, 300, 100)]
    [InlineData(Fit.Inside, 300, 300, 300, 225)]
    public async Task EachFitGivesItsShape(Fit fit, int width, int height, int expectedWidth, int expectedHeight)
    {
        var image = await UploadAsync(5, 800, 600);

        using var response = await fixture.Anonymous().GetImageAsync(fixture.SignedUrl(image.Id, image.Version, width, height, fit, format: ImageFormat.Png));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var decoded = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((expectedWidth, expectedHeight), (decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task CompassGravityKeepsThatSideOfThePicture()
    {
        var image = await UploadAsync(5, 800, 400);

        using var west = await fixture.Anonymous().GetImageAsync(fixture.SignedUrl(image.Id, image.Version, 200, 200, Fit.Cover, Gravity.NorthWest, ImageFormat.Png));
        using var east = await fixture.Anonymous().GetImageAsync(fixture.SignedUrl(image.Id, image.Version, 200, 200, Fit.Cover, Gravity.East, ImageFormat.Png));

        using var westImage = Image.NewFromBuffer(await west.Content.ReadAsByteArrayAsync());
        using var eastImage = Image.NewFromBuffer(await east.Content.ReadAsByteArrayAsync());
        // The red block sits top-left of the source: north-west keeps it, east does not.
        Assert.True(westImage.Getpoint(2, 2)[0] > 200 && westImage.Getpoint(2, 2)[1] < 60);
        Assert.False(eastImage.Getpoint(2, 2)[0] > 200 && eastImage.Getpoint(2, 2)[1] < 60);
    }

    [Fact]
    public async Task UnknownImageIs404()
    {
        using var response = await fixture.Anonymous().GetImageAsync(fixture.SignedUrl(987654, 1, 100, 100));

        await response.AssertProblemAsync(404);
    }

    private async Task<Api.Apis.ImageAnswer> UploadAsync(long productId, int width, int height)
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        return await seller.UploadOkAsync(productId, Pictures.Jpeg(width, height));
    }
}
