using Hive.Contracts;
using Hive.Messaging;

namespace Search.Api.Caching;

/// <summary>Search's share of a product change: result pages and suggestions that held the product, and its category's pages.</summary>
internal sealed class SearchProductChangeHandler(SearchCache cache) : IProductChangeHandler
{
    public Task HandleAsync(ProductChanged change, CancellationToken cancellationToken)
        => cache.InvalidateProductAsync(change.ProductId, change.CategoryId, cancellationToken).AsTask();
}
