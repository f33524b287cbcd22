using System.Net;

namespace Media.Api.Tests.Apis;

/// <summary>
/// What happens to the stored originals: an upload's original is kept under its format's extension, a
/// replaced picture's old original and a deleted image's original leave the store, the shared originals of
/// demo data stay whatever happens to one image of them, and a picture the database refuses leaves nothing.
/// </summary>
[Collection(MediaCollection.Name)]
public sealed class OriginalStoreTests(MediaFixture fixture)
{
    [Fact]
    public async Task AReplacedPicturesOldOriginalAndADeletedImagesOriginalLeaveTheStore()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(4, Pictures.Jpeg(400, 300));
        var first = await fixture.StorageKeyAsync(image.Id);
        Assert.StartsWith("originals/", first, StringComparison.Ordinal);
        Assert.EndsWith(".jpg", first, StringComparison.Ordinal);
        Assert.True(File.Exists(fixture.StorePath(first)));

        using (var replaced = await seller.ReplaceAsync(image.Id, Pictures.Png(300, 400), "new.png"))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        var second = await fixture.StorageKeyAsync(image.Id);
        Assert.EndsWith(".png", second, StringComparison.Ordinal);
        Assert.True(File.Exists(fixture.StorePath(second)));
        Assert.False(File.Exists(fixture.StorePath(first)));

        using (var deleted = await seller.DeleteAsync($"/api/media/images/{image.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.False(File.Exists(fixture.StorePath(second)));
    }

    [Fact]
    public async Task DeletingAnImageOfDemoDataLeavesItsSharedOriginal()
    {
        const string key = "demo/9-800x600.jpg";
        Directory.CreateDirectory(Path.GetDirectoryName(fixture.StorePath(key))!);
        await File.WriteAllBytesAsync(fixture.StorePath(key), Pictures.Jpeg(800, 600));
        var id = await fixture.ScalarAsync<long>(
            """
            INSERT INTO media_images (product_id, business_id, storage_key, content_type, width, height, bytes, placeholder, blurhash)
            VALUES (3, 1, $1, 'image/jpeg', 800, 600, 0, '', '') RETURNING id
            """,
            key);
        using var seller = fixture.Seller(MediaFixture.BusinessA);

        using var deleted = await seller.DeleteAsync($"/api/media/images/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(File.Exists(fixture.StorePath(key)));
    }

    [Fact]
    public async Task AnUploadOrAReplacementTheDatabaseRefusesLeavesNoOriginalBehind()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(4, Pictures.Jpeg(320, 240));
        var kept = await fixture.StorageKeyAsync(image.Id);

        // The database refuses one alt text on insert and this image's row on update, as a constraint or a full disk would.
        await fixture.ScalarAsync<int>(
            $"""
            CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
            CREATE TRIGGER refuse_insert BEFORE INSERT ON media_images FOR EACH ROW WHEN (NEW.alt_text = 'refused by the database') EXECUTE FUNCTION refuse_for_test();
            CREATE TRIGGER refuse_update BEFORE UPDATE ON media_images FOR EACH ROW WHEN (OLD.id = {image.Id}) EXECUTE FUNCTION refuse_for_test();
            SELECT 1;
            """);
        try
        {
            var before = Originals();

            using (var upload = await seller.UploadAsync(4, Pictures.Png(300, 200), "refused.png", "image/png", altText: "refused by the database"))
            {
                Assert.True((int)upload.StatusCode >= 500, $"the upload answered {(int)upload.StatusCode}");
            }

            using (var replace = await seller.ReplaceAsync(image.Id, Pictures.Png(200, 300), "refused.png"))
            {
                Assert.True((int)replace.StatusCode >= 500, $"the replacement answered {(int)replace.StatusCode}");
            }

            Assert.Equal(before, Originals());
            Assert.Equal(kept, await fixture.StorageKeyAsync(image.Id));
            Assert.True(File.Exists(fixture.StorePath(kept)));
        }
        finally
        {
            await fixture.ScalarAsync<int>(
                """
                DROP TRIGGER refuse_insert ON media_images;
                DROP TRIGGER refuse_update ON media_images;
                DROP FUNCTION refuse_for_test();
                SELECT 1;
                """);
        }
    }

    private string[] Originals()
        => [.. Directory.GetFiles(Path.Combine(fixture.DataRoot, "store", "originals"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
}
