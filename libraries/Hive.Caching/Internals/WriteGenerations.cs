using System.Globalization;
using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>
/// Write-generations per tag, so a fill that read its data before an invalidation cannot store it after.
/// Every <see cref="IHiveCache.InvalidateTagAsync"/> raises the namespace's sequence and stamps the tag with
/// it (before the entries are dropped); a fill notes the sequence before its query and, before and after
/// its write, looks whether any of its tags was stamped later. Stamps only matter while a fill that began
/// before them can still be running, so they expire after <see cref="HiveCacheOptions.WriteGenerationRetention"/>.
/// Lives in the coordination Redis: an evicted stamp would let stale data back in.
/// </summary>
internal sealed class WriteGenerations(IConnectionMultiplexer coordination, string @namespace, HiveCacheOptions options, CacheStatistics statistics)
{
    private const string Stamp = """
        local seq = redis.call('INCR', KEYS[1])
        redis.call('SET', KEYS[2], seq, 'PX', ARGV[1])
        return seq
        """;

    // One hash tag for the sequence and every stamp: the stamp script and the many-stamp read stay in one
    // Redis Cluster slot.
    private readonly RedisKey _sequenceKey = $"{{{@namespace}:~gen}}";
    private readonly string _tagPrefix = $"{{{@namespace}:~gen}}:";

    /// <summary>The sequence now, or null when Redis cannot say (then there is no shared cache to guard).</summary>
    public async Task<long?> SnapshotAsync(CancellationToken cancellationToken)
    {
        try
        {
            RedisAvailability.EnsureConnected(coordination);
            var value = await coordination.GetDatabase().StringGetAsync(_sequenceKey)
                .WaitAsync(options.DistributedHardTimeout, cancellationToken).ConfigureAwait(false);
            return value.IsNull ? 0 : (long)value;
        }
        catch (Exception ex) when (HiveCache.IsRedisFailure(ex))
        {
            statistics.Error("generation.read");
            return null;
        }
    }

    /// <summary>True when one of the tags was invalidated after <paramref name="since"/>.</summary>
    public async Task<bool> ChangedSinceAsync(string[]? tags, long since, CancellationToken cancellationToken)
    {
        if (tags is null || tags.Length == 0)
        {
            return false;
        }

        try
        {
            RedisAvailability.EnsureConnected(coordination);
            var keys = tags.Select(t => (RedisKey)(_tagPrefix + t)).ToArray();
            var values = await coordination.GetDatabase().StringGetAsync(keys)
                .WaitAsync(options.DistributedHardTimeout, cancellationToken).ConfigureAwait(false);
            return values.Any(v => !v.IsNull && (long)v > since);
        }
        catch (Exception ex) when (HiveCache.IsRedisFailure(ex))
        {
            statistics.Error("generation.read");
            return false;
        }
    }

    /// <summary>
    /// Stamps the tag with a new generation. When Redis cannot be reached there is nothing to stamp against: the
    /// error is counted, and fills made meanwhile were not stored in Redis either.
    /// </summary>
    public async Task AdvanceAsync(string tag, CancellationToken cancellationToken)
    {
        try
        {
            RedisAvailability.EnsureConnected(coordination);
            await coordination.GetDatabase().ScriptEvaluateAsync(
                    Stamp,
                    [_sequenceKey, _tagPrefix + tag],
                    [((long)options.WriteGenerationRetention.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)])
                .WaitAsync(options.DistributedHardTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (HiveCache.IsRedisFailure(ex))
        {
            statistics.Error("generation.write");
        }
    }
}
