using Hive.Caching;
using StackExchange.Redis;

namespace Hive.Messaging;

/// <summary>
/// The newest product version each service has evicted for, kept in the service's own Redis namespace
/// (a sorted set: member = product id, score = version). Readers compare what they load from Postgres
/// against it so a read that raced an update cannot put the old version back into the cache.
/// </summary>
public sealed class ProductVersionLedger(IConnectionMultiplexer redis, IHiveCache cache)
{
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
            var result = await redis.GetDatabase().ScriptEvaluateAsync(script, [Key], [productId, version]);
            return (long)result == 1;
        }
        catch (RedisException)
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
            await redis.GetDatabase().ScriptEvaluateAsync(script, [Key], [productId, version]);
        }
        catch (RedisException)
        {
            // Advance did not record anything while Redis was down either.
        }
    }

    /// <summary>The newest version evicted for, or 0 when no event for the product was seen.</summary>
    public async Task<long> FloorAsync(long productId)
    {
        try
        {
            var score = await redis.GetDatabase().SortedSetScoreAsync(Key, productId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return score is { } s ? (long)s : 0;
        }
        catch (RedisException)
        {
            // Without Redis there is no shared cache to protect either; serve what Postgres returned.
            return 0;
        }
    }
}
