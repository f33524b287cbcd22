using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hive.Caching;

internal sealed class RedisCacheLock(
    IDatabase database,
    CacheKey key,
    RedisKey redisKey,
    string token,
    long fencingToken,
    TimeSpan timeout,
    ILogger logger) : ICacheLock
{
    private int _released;

    public CacheKey Key { get; } = key;

    public string Token { get; } = token;

    public long FencingToken { get; } = fencingToken;

    public async Task<bool> ExtendAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        HiveCache.EnsurePositive(ttl, nameof(ttl));
        try
        {
            var result = await database.ScriptEvaluateAsync(LuaScripts.ExtendLock, [redisKey], [Token, HiveCache.Milliseconds(ttl)])
                .WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return (long)result == 1;
        }
        catch (Exception ex) when (HiveCache.IsRedisFailure(ex))
        {
            throw new LockUnavailableException($"Could not reach Redis to extend lock '{Key}'.", ex);
        }
    }

    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return false;
        }

        try
        {
            var result = await database.ScriptEvaluateAsync(LuaScripts.ReleaseLock, [redisKey], [Token])
                .WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return (long)result == 1;
        }
        catch (Exception ex) when (HiveCache.IsRedisFailure(ex))
        {
            throw new LockUnavailableException($"Could not reach Redis to release lock '{Key}'.", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        catch (LockUnavailableException ex)
        {
            // Disposal must not throw; the TTL frees the lock when Redis returns.
            Log.LockReleaseFailed(logger, Key.Value, ex);
        }
    }
}
