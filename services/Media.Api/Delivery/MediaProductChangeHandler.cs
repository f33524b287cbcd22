using Hive.Caching;
using Hive.Contracts;
using Hive.Messaging;
using Media.Api.Data;

namespace Media.Api.Delivery;

/// <summary>
/// A product changed (an image added, replaced or deleted, or the product itself): drop every cached
/// rendering, image row and variant set of the product (Redis and memory through the tag, disk by
/// folder). A deleted product's images and uploaded originals go too. Idempotent.
/// </summary>
public sealed class MediaProductChangeHandler(
    IHiveCache cache,
    DiskRenderingCache disk,
    MediaImages images,
    ImageIntake intake,
    ImageDirectory directory) : IProductChangeHandler
{
    public async Task HandleAsync(ProductChanged change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await cache.InvalidateTagAsync(directory.ProductTag(change.ProductId), cancellationToken);
        disk.DropProduct(change.ProductId);

        if (change.Kind == ProductChangeKind.Deleted)
        {
            foreach (var image in await images.DeleteForProductAsync(change.ProductId, cancellationToken))
            {
                await directory.ForgetAsync(image.Id, cancellationToken);
                await intake.DeleteOriginalAsync(image.StorageKey);
            }
        }
    }
}
