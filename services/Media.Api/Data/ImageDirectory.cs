using Hive.Caching;

namespace Media.Api.Data;

/// <summary>
/// Image rows behind the cache (<c>media:image:{id}</c>), so a hot rendering costs no database trip.
/// Replace and delete drop the entry; the product tag drops them all when the product changes.
/// </summary>
public sealed class ImageDirectory(MediaImages images, IHiveCache cache, Storage.IMediaStore store)
{
    public const string ImageEntity = "image";

    public async Task<MediaImage?> FindAsync(long imageId, CancellationToken cancellationToken)
    {
        var key = cache.Keys.For(ImageEntity, imageId);
        var cached = await cache.TryGetAsync<MediaImage>(key, cancellationToken);
        if (cached is { HasValue: true, Value: { } hit })
        {
            return hit;
        }

        var image = await images.GetAsync(imageId, cancellationToken);
        if (image is { Placeholder: "" })
        {
            image = await WithPlaceholdersAsync(image, cancellationToken);
        }

        if (image is not null)
        {
            await cache.SetAsync(key, image, CacheDuration.Long, [ProductTag(image.ProductId)], cancellationToken);
        }

        return image;
    }

    // Seeded rows point at a demo original drawn on first use; their placeholders need its pixels.
    private async Task<MediaImage> WithPlaceholdersAsync(MediaImage image, CancellationToken cancellationToken)
    {
        var original = await store.GetAsync(image.StorageKey, cancellationToken);
        if (original is null)
        {
            return image;
        }

        var (thumbHash, blurHash) = ImageIntake.Placeholders(original, new Imaging.ImageHeader(Imaging.ImageFormat.Jpeg, image.Width, image.Height));
        await images.FillPlaceholdersAsync(image.StorageKey, original.LongLength, thumbHash, blurHash, cancellationToken);
        return image with { Placeholder = thumbHash, BlurHash = blurHash, Bytes = original.LongLength };
    }

    public ValueTask ForgetAsync(long imageId, CancellationToken cancellationToken)
        => cache.RemoveAsync(cache.Keys.For(ImageEntity, imageId), cancellationToken);

    public CacheTag ProductTag(long productId) => cache.Keys.Tag(Hive.Messaging.ProductTagInvalidationHandler.ProductEntity, productId);
}
