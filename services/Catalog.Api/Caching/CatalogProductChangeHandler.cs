using Hive.Contracts;
using Hive.Messaging;

namespace Catalog.Api.Caching;

/// <summary>Catalog's share of a product change: its namespace's entries for the product, lists, featured, trending.</summary>
internal sealed class CatalogProductChangeHandler(CatalogCache cache) : IProductChangeHandler
{
    public Task HandleAsync(ProductChanged change, CancellationToken cancellationToken)
        => cache.InvalidateProductAsync(change, cancellationToken).AsTask();
}
