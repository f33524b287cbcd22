using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>
/// The newest product version each service has evicted for, kept in the service's own namespace of the
/// coordination Redis (a sorted set: member = product id, score = version; never evicted). Readers compare
/// what they load from Postgres against it so a read that raced an update cannot put the old version back.
/// Redis errors and timeouts alike count as an outage: every call is bounded by the cache's hard timeout,
/// and then the ledger answers as if it knew nothing (evict again, serve what Postgres returned).
/// </summary>
public sealed class ProductVersionLedger(CoordinationRedis coordination, IHiveCache cache, IOptions<HiveCacheOptions> options)
{
    private IConnectionMultiplexer Redis => coordination.Connection;

    private TimeSpan Timeout => options.Value.DistributedHardTimeout;

    private static bool IsOutage(Exception exception) => exception is RedisException or TimeoutException or ObjectDisposedException;

    private RedisKey Key => cache.Keys.For("product-versions", "all").Value;

    /// <summary>Records <paramref name="version"/>; false when the same or a newer version was recorded before.</summary>
    public async Task<bool> AdvanceAsync(long productId, long version, CancellationToken cancellationToken)
    {
        // Atomic compare-and-raise, whatever order replicas and redeliveries come in.
        const string script = """
            local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if current and tonumber(current) >= tonumber(ARGV[2]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            return 1
            """;
        try
        {
            var result = await Redis.GetDatabase().ScriptEvaluateAsync(script, [Key], [productId, version]).WaitAsync(Timeout, cancellationToken);
            return (long)result == 1;
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            // Redis down: evicting again is harmless, skipping would not be.
            return true;
        }
    }

    /// <summary>Takes back a version whose handling failed, so the retry is not skipped as already seen.</summary>
    public async Task RewindAsync(long productId, long version, CancellationToken cancellationToken)
    {
        const string script = """
            local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if current and tonumber(current) == tonumber(ARGV[2]) then
              if tonumber(ARGV[2]) <= 1 then return redis.call('ZREM', KEYS[1], ARGV[1]) end
              return redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) - 1, ARGV[1])
            end
            return 0
            """;
        try
        {
            await Redis.GetDatabase().ScriptEvaluateAsync(script, [Key], [productId, version]).WaitAsync(Timeout, cancellationToken);
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            // Advance did not record anything while Redis was down either.
        }
    }

    /// <summary>The newest version evicted for, or 0 when no event for the product was seen.</summary>
    public async Task<long> FloorAsync(long productId, CancellationToken cancellationToken = default)
    {
        try
        {
            var score = await Redis.GetDatabase().SortedSetScoreAsync(Key, productId.ToString(System.Globalization.CultureInfo.InvariantCulture)).WaitAsync(Timeout, cancellationToken);
            return score is { } s ? (long)s : 0;
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            // Without Redis there is no shared cache to protect either; serve what Postgres returned.
            return 0;
        }
    }
}
