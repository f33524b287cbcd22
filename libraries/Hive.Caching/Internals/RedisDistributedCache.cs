using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>
/// FusionCache's L2 on the service's own <see cref="IConnectionMultiplexer"/>, stored as plain Redis
/// strings with PX expiry so many keys can be read with one MGET. Errors propagate: FusionCache turns
/// them into fail-safe, circuit breaking and logging.
/// </summary>
internal sealed class RedisDistributedCache(IConnectionMultiplexer connection, CacheStatistics statistics) : IDistributedCache
{
    private IDatabase Database
    {
        get
        {
            // A disconnected multiplexer would queue the command until its timeout; failing now lets
            // FusionCache open its circuit breaker and fall back at once.
            RedisAvailability.EnsureConnected(connection);
            return connection.GetDatabase();
        }
    }

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        if (L2Prefetch.Current is { } prefetch && prefetch.TryGet(key, out var prefetched))
        {
            return prefetched;
        }

        try
        {
            return await Database.StringGetAsync(key).WaitAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            statistics.Error("l2.get");
            throw;
        }
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        var expiry = Expiry(options);
        try
        {
            if (L2WriteSlot.Current is { } slot && !slot.Wrote && slot.Batch.Enqueue(key, value, expiry) is { } batched)
            {
                slot.Wrote = true;
                await batched.WaitAsync(token).ConfigureAwait(false);
                return;
            }

            await Database.StringSetAsync(key, value, expiry is { } e ? new Expiration(e) : default).WaitAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            statistics.Error("l2.set");
            throw;
        }
    }

    public void Refresh(string key)
    {
        // Entries use absolute expiry only; there is no sliding window to renew.
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        try
        {
            await Database.KeyDeleteAsync(key).WaitAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            statistics.Error("l2.remove");
            throw;
        }
    }

    private static TimeSpan? Expiry(DistributedCacheEntryOptions options)
    {
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            return relative;
        }

        if (options.AbsoluteExpiration is { } absolute)
        {
            var left = absolute - DateTimeOffset.UtcNow;
            return left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);
        }

        return options.SlidingExpiration;
    }
}
