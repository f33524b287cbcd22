using Hive.Caching;
using Hive.Contracts;

namespace Hive.Messaging;

/// <summary>
/// For services whose entries about a product all carry the tag <c>product:{id}</c> in their own
/// namespace (media's renderings, metrics' per-product figures): dropping the tag drops them all.
/// </summary>
public sealed class ProductTagInvalidationHandler(IHiveCache cache) : IProductChangeHandler
{
    public const string ProductEntity = "product";

    public Task HandleAsync(ProductChanged change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return cache.InvalidateTagAsync(cache.Keys.Tag(ProductEntity, change.ProductId), cancellationToken).AsTask();
    }
}
