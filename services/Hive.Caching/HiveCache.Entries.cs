using System.Diagnostics;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace Hive.Caching;

internal sealed partial class HiveCache
{
    private long _multiGetBlockedUntil;

    public async ValueTask<CacheResult<T>> TryGetAsync<T>(CacheKey key, CancellationToken cancellationToken = default)
    {
        EnsureKey(key, nameof(key));
        var start = Stopwatch.GetTimestamp();
        try
        {
            var found = await _fusion.TryGetAsync<T>(key.Local, token: cancellationToken).ConfigureAwait(false);
            if (found.HasValue)
            {
                _statistics.Hit();
                return new CacheResult<T>(true, found.Value);
            }

            _statistics.Miss();
            return CacheResult<T>.Miss;
        }
        finally
        {
            _statistics.Elapsed("get", start);
        }
    }

    public async ValueTask<T?> GetAsync<T>(CacheKey key, CancellationToken cancellationToken = default)
    {
        var result = await TryGetAsync<T>(key, cancellationToken).ConfigureAwait(false);
        return result.HasValue ? result.Value : default;
    }

    public async ValueTask SetAsync<T>(CacheKey key, T value, CacheLifetime? lifetime = null, IReadOnlyCollection<CacheTag>? tags = null, CancellationToken cancellationToken = default)
    {
        EnsureKey(key, nameof(key));
        var options = EntryOptions(lifetime);
        var tagValues = TagValues(tags);
        EnsureSerializable(value, nameof(value));
        var start = Stopwatch.GetTimestamp();
        try
        {
            await _fusion.SetAsync(key.Local, value, options, tagValues, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _statistics.Elapsed("set", start);
        }
    }

    public async ValueTask RemoveAsync(CacheKey key, CancellationToken cancellationToken = default)
    {
        EnsureKey(key, nameof(key));
        var start = Stopwatch.GetTimestamp();
        try
        {
            await _fusion.RemoveAsync(key.Local, token: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _statistics.Elapsed("remove", start);
        }
    }

    public async ValueTask<T> GetOrSetAsync<T>(CacheKey key, Func<CancellationToken, Task<T>> factory, CacheLifetime? lifetime = null, IReadOnlyCollection<CacheTag>? tags = null, CancellationToken cancellationToken = default)
    {
        EnsureKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(factory);
        var options = EntryOptions(lifetime);
        var tagValues = TagValues(tags);
        var start = Stopwatch.GetTimestamp();
        var ran = false;
        try
        {
            var value = await _fusion.GetOrSetAsync<T>(
                key.Local,
                async (_, ct) =>
                {
                    ran = true;
                    _statistics.FactoryCall();
                    return await factory(ct).ConfigureAwait(false);
                },
                default,
                options,
                tagValues,
                cancellationToken).ConfigureAwait(false);

            if (ran)
            {
                _statistics.Miss();
            }
            else
            {
                _statistics.Hit();
            }

            return value;
        }
        finally
        {
            _statistics.Elapsed("get_or_set", start);
        }
    }

    public async ValueTask<IReadOnlyDictionary<CacheKey, T>> GetManyAsync<T>(IEnumerable<CacheKey> keys, CancellationToken cancellationToken = default)
    {
        var distinct = DistinctKeys(keys);
        var start = Stopwatch.GetTimestamp();
        try
        {
            var found = await GetManyCoreAsync<T>(distinct, cancellationToken).ConfigureAwait(false);
            _statistics.Hit(found.Count);
            _statistics.Miss(distinct.Count - found.Count);
            return found;
        }
        finally
        {
            _statistics.Elapsed("get_many", start);
        }
    }

    public async ValueTask SetManyAsync<T>(IEnumerable<KeyValuePair<CacheKey, T>> entries, CacheLifetime? lifetime = null, IReadOnlyCollection<CacheTag>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var unique = new Dictionary<CacheKey, T>();
        foreach (var (key, value) in entries)
        {
            EnsureKey(key, nameof(entries));
            EnsureSerializable(value, nameof(entries));
            unique[key] = value;
        }

        var options = EntryOptions(lifetime);
        var tagValues = TagValues(tags);
        var start = Stopwatch.GetTimestamp();
        try
        {
            await SetManyCoreAsync(unique, options, tagValues, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _statistics.Elapsed("set_many", start);
        }
    }

    public async ValueTask<IReadOnlyDictionary<CacheKey, T>> GetOrSetManyAsync<T>(
        IEnumerable<CacheKey> keys,
        Func<IReadOnlyList<CacheKey>, CancellationToken, Task<IReadOnlyDictionary<CacheKey, T>>> factory,
        CacheLifetime? lifetime = null,
        IReadOnlyCollection<CacheTag>? tags = null,
        CancellationToken cancellationToken = default)
    {
        var distinct = DistinctKeys(keys);
        ArgumentNullException.ThrowIfNull(factory);
        var options = EntryOptions(lifetime);
        var tagValues = TagValues(tags);
        var start = Stopwatch.GetTimestamp();
        try
        {
            var found = await GetManyCoreAsync<T>(distinct, cancellationToken).ConfigureAwait(false);
            _statistics.Hit(found.Count);
            var missing = distinct.Where(k => !found.ContainsKey(k)).ToList();
            if (missing.Count == 0)
            {
                return found;
            }

            _statistics.Miss(missing.Count);
            _statistics.FactoryCall();
            var loaded = await factory(missing, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The GetOrSetMany factory returned null; return an empty dictionary for no values.");

            var fresh = new Dictionary<CacheKey, T>();
            foreach (var key in missing)
            {
                if (loaded.TryGetValue(key, out var value))
                {
                    EnsureSerializable(value, nameof(factory));
                    fresh[key] = value;
                    found[key] = value;
                }
            }

            await SetManyCoreAsync(fresh, options, tagValues, cancellationToken).ConfigureAwait(false);
            return found;
        }
        finally
        {
            _statistics.Elapsed("get_or_set_many", start);
        }
    }

    public async ValueTask InvalidateTagAsync(CacheTag tag, CancellationToken cancellationToken = default)
    {
        EnsureTag(tag, nameof(tag));
        var start = Stopwatch.GetTimestamp();
        try
        {
            await _fusion.RemoveByTagAsync(tag.Value, token: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _statistics.Elapsed("invalidate_tag", start);
        }
    }

    private List<CacheKey> DistinctKeys(IEnumerable<CacheKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var seen = new HashSet<CacheKey>();
        var list = new List<CacheKey>();
        foreach (var key in keys)
        {
            EnsureKey(key, nameof(keys));
            if (seen.Add(key))
            {
                list.Add(key);
            }
        }

        return list;
    }

    private async Task<Dictionary<CacheKey, T>> GetManyCoreAsync<T>(List<CacheKey> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<CacheKey, T>(keys.Count);
        var misses = new List<CacheKey>();
        foreach (var key in keys)
        {
            var local = await _fusion.TryGetAsync<T>(key.Local, _memoryOnly, cancellationToken).ConfigureAwait(false);
            if (local.HasValue)
            {
                found[key] = local.Value;
            }
            else
            {
                misses.Add(key);
            }
        }

        if (misses.Count == 0 || _time.GetTimestamp() < Interlocked.Read(ref _multiGetBlockedUntil))
        {
            return found;
        }

        // FusionCache also consults its two Clear() markers on the first L2 read; fetching them in the
        // same MGET keeps a cold GetMany at one round trip.
        var redisKeys = misses.Select(k => (RedisKey)(_fusionPrefix + k.Local)).Concat(_clearMarkerKeys).ToArray();
        RedisValue[] values;
        try
        {
            values = await Database.StringGetAsync(redisKeys).WaitAsync(_options.DistributedHardTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            // Same idea as FusionCache's breaker: after a failure, skip Redis for a while instead of timing out per call.
            Interlocked.Exchange(ref _multiGetBlockedUntil, _time.GetTimestamp() + (long)(_options.CircuitBreakerDuration.TotalSeconds * _time.TimestampFrequency));
            _statistics.Error("l2.mget");
            Log.MultiGetFailed(_logger, misses.Count, Namespace, ex);
            return found;
        }

        var prefetched = new Dictionary<string, byte[]?>(redisKeys.Length, StringComparer.Ordinal);
        for (var i = 0; i < redisKeys.Length; i++)
        {
            prefetched[redisKeys[i]!] = values[i].IsNull ? null : (byte[]?)values[i];
        }

        using (L2Prefetch.Begin(new L2Prefetch(prefetched)))
        {
            for (var i = 0; i < misses.Count; i++)
            {
                if (values[i].IsNull)
                {
                    continue;
                }

                // FusionCache reads the prefetched bytes, checks expiry and tags, and fills L1.
                var remote = await _fusion.TryGetAsync<T>(misses[i].Local, token: cancellationToken).ConfigureAwait(false);
                if (remote.HasValue)
                {
                    found[misses[i]] = remote.Value;
                }
            }
        }

        return found;
    }

    private async Task SetManyCoreAsync<T>(Dictionary<CacheKey, T> entries, FusionCacheEntryOptions options, string[]? tags, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var batch = new L2WriteBatch(_connection, entries.Count);
        await Task.WhenAll(entries.Select(e => SetInBatchAsync(batch, e.Key, e.Value, options, tags, cancellationToken))).ConfigureAwait(false);
    }

    private async Task SetInBatchAsync<T>(L2WriteBatch batch, CacheKey key, T value, FusionCacheEntryOptions options, string[]? tags, CancellationToken cancellationToken)
    {
        // Each entry runs in its own async flow, so the slot seen by the L2 write is this entry's.
        var slot = new L2WriteSlot(batch);
        L2WriteSlot.Enter(slot);
        try
        {
            await _fusion.SetAsync(key.Local, value, options, tags, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            batch.EntryFinished(slot.Wrote);
        }
    }

    internal FusionCacheEntryOptions EntryOptions(CacheLifetime? lifetime)
    {
        var ttl = lifetime is { } l ? l.Ttl : CacheLifetime.ToTimeSpan(_options.DefaultDuration);
        EnsurePositive(ttl, nameof(lifetime));
        var options = _fusion.DefaultEntryOptions.Duplicate(ttl);
        options.JitterMaxDuration = TimeSpan.FromTicks((long)(ttl.Ticks * _options.JitterFraction));

        // A stale value stays usable for the configured span past its own TTL, never less than the TTL.
        options.FailSafeMaxDuration = ttl + _options.FailSafeMaxDuration;
        return options;
    }

    private void EnsureSerializable<T>(T value, string parameter)
    {
        // Serialize once up front so a bad value fails here even when L2 is skipped (circuit open), not later on another replica.
        try
        {
            _serializer.Serialize(value);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new ArgumentException($"A value of type {typeof(T).Name} cannot be serialized for the cache: {ex.Message}", parameter, ex);
        }
    }
}
