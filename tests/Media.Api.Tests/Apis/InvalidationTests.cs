using System.Net;
using Hive.Contracts;
using MassTransit;
using Media.Api.Imaging;
using Microsoft.Extensions.DependencyInjection;

namespace Media.Api.Tests.Apis;

[Collection(MediaCollection.Name)]
public sealed class InvalidationTests(MediaFixture fixture)
{
    [Fact]
    public async Task ProductChangedDropsTheProductsCachedRenderings()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(4, Pictures.Jpeg(900, 900));
        var small = fixture.SignedUrl(image.Id, image.Version, 111, 111, format: ImageFormat.Jpeg);
        var large = fixture.SignedUrl(image.Id, image.Version, 890, 890, format: ImageFormat.Png);
        using var client = fixture.Anonymous();
        (await client.GetImageAsync(small)).Dispose();
        (await client.GetImageAsync(large)).Dispose();
        var rendered = fixture.Renderings.Renders;
        (await client.GetImageAsync(small)).Dispose();
        Assert.Equal(rendered, fixture.Renderings.Renders);

        await PublishAsync(new ProductChanged(4, MediaFixture.BusinessA, 1, "kikoi-wrap-4", ProductChangeKind.Updated, 1000, DateTimeOffset.UtcNow));

        await Hive.Testing.Eventually.TrueAsync(
            () => Task.FromResult(!Directory.Exists(Path.Combine(fixture.DataRoot, "renderings", "4"))),
            TimeSpan.FromSeconds(60), "the product's disk renderings are dropped");
        await Hive.Testing.Eventually.TrueAsync(
            async () =>
            {
                var before = fixture.Renderings.Renders;
                (await client.GetImageAsync(small)).Dispose();
                return fixture.Renderings.Renders > before;
            },
            TimeSpan.FromSeconds(60), "the small rendering is made again after the purge");
    }

    [Fact]
    public async Task ReplacedImageGetsANewVersionAndTheOldUrlIsGone()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var first = await seller.UploadOkAsync(4, Pictures.Jpeg(500, 500));
        using var replaced = await seller.ReplaceAsync(first.Id, Pictures.Png(700, 300), "new.png");
        var second = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Api.Apis.ImageAnswer>(replaced.Content);

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal((first.Id, 2, 700, 300), (second!.Id, second.Version, second.Width, second.Height));
        Assert.NotEqual(first.CardUrl, second.CardUrl);
        using var old = await fixture.Anonymous().GetImageAsync(first.CardUrl);
        await old.AssertProblemAsync(404);
        using var current = await fixture.Anonymous().GetImageAsync(second.CardUrl);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
    }

    [Fact]
    public async Task AnotherBusinessCannotReplaceOrDeleteTheImage()
    {
        using var owner = fixture.Seller(MediaFixture.BusinessA);
        var image = await owner.UploadOkAsync(4, Pictures.Jpeg(200, 200));
        using var other = fixture.Seller(MediaFixture.BusinessB);

        using var delete = await other.DeleteAsync($"/api/media/images/{image.Id}");

        await delete.AssertProblemAsync(404);
        using var stillThere = await fixture.Anonymous().GetImageAsync(image.CardUrl);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task DeletedProductTakesItsImagesWithIt()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessB);
        var image = await seller.UploadOkAsync(MediaFixture.ProductOfB, Pictures.Jpeg(300, 300));
        var original = fixture.StorePath(await fixture.StorageKeyAsync(image.Id));
        Assert.True(File.Exists(original));
        using (var before = await fixture.Anonymous().GetImageAsync(image.CardUrl))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await PublishAsync(new ProductChanged(MediaFixture.ProductOfB, MediaFixture.BusinessB, 1, "kikoi-wrap-6", ProductChangeKind.Deleted, 1000, DateTimeOffset.UtcNow));

        await Hive.Testing.Eventually.TrueAsync(
            async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM media_images WHERE id = $1", image.Id) == 0,
            TimeSpan.FromSeconds(60), "the deleted product's image rows are gone");
        await Hive.Testing.Eventually.TrueAsync(
            () => Task.FromResult(!File.Exists(original)), TimeSpan.FromSeconds(60), "the deleted product's originals leave the store");
        using var response = await fixture.Anonymous().GetImageAsync(image.CardUrl);
        await response.AssertProblemAsync(404);
    }

    private async Task PublishAsync(ProductChanged change)
    {
        using var scope = fixture.Factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(change);
    }
}
