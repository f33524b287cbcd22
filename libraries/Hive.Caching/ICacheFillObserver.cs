namespace Hive.Caching;

/// <summary>
/// A seam between a factory's answer and the cache write that stores it. The cache calls every registered
/// observer there; tests use one to hold a read at exactly that point while a write and its invalidation
/// happen, which is how the "no stale re-cache" guarantee is proven deterministically. Services register none.
/// </summary>
public interface ICacheFillObserver
{
    ValueTask OnLoadedAsync(CacheKey key, CancellationToken cancellationToken);
}
