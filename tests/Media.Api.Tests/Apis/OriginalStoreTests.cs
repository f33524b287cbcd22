using System.Net;

namespace Media.Api.Tests.Apis;

/// <summary>
/// What happens to the stored originals: an upload's original is kept under its format's extension, a
/// replaced picture's old original and a deleted image's original leave the store, and the shared
/// originals of demo data stay whatever happens to one image of them.
/// </summary>
[Collection(MediaCollection.Name)]
public sealed class OriginalStoreTests(MediaFixture fixture)
{
    [Fact]
    public async Task AReplacedPicturesOldOriginalAndADeletedImagesOriginalLeaveTheStore()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(4, Pictures.Jpeg(400, 300));
        var first = await StorageKeyAsync(image.Id);
        Assert.StartsWith("originals/", first, StringComparison.Ordinal);
        Assert.EndsWith(".jpg", first, StringComparison.Ordinal);
        Assert.True(File.Exists(StorePath(first)));

        using (var replaced = await seller.ReplaceAsync(image.Id, Pictures.Png(300, 400), "new.png"))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        var second = await StorageKeyAsync(image.Id);
        Assert.EndsWith(".png", second, StringComparison.Ordinal);
        Assert.True(File.Exists(StorePath(second)));
        Assert.False(File.Exists(StorePath(first)));

        using (var deleted = await seller.DeleteAsync($"/api/media/images/{image.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.False(File.Exists(StorePath(second)));
    }

    [Fact]
    public async Task DeletingAnImageOfDemoDataLeavesItsSharedOriginal()
    {
        const string key = "demo/9-800x600.jpg";
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath(key))!);
        await File.WriteAllBytesAsync(StorePath(key), Pictures.Jpeg(800, 600));
        var id = await fixture.ScalarAsync<long>(
            """
            INSERT INTO media_images (product_id, business_id, storage_key, content_type, width, height, bytes, placeholder, blurhash)
            VALUES (3, 1, $1, 'image/jpeg', 800, 600, 0, '', '') RETURNING id
            """,
            key);
        using var seller = fixture.Seller(MediaFixture.BusinessA);

        using var deleted = await seller.DeleteAsync($"/api/media/images/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(File.Exists(StorePath(key)));
    }

    private async Task<string> StorageKeyAsync(long imageId)
        => (await fixture.ScalarAsync<string>("SELECT storage_key FROM media_images WHERE id = $1", imageId))!;

    private string StorePath(string key) => Path.Combine(fixture.DataRoot, "store", key);
}
