using System.Diagnostics;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace Hive.Caching;

internal sealed partial class HiveCache
{
    private long _multiGetBlockedUntil;

    public ValueTask<CacheResult<T>> TryGetAsync<T>(CacheKey key, CancellationToken cancellationToken = default)
    {
        EnsureKey(key, nameof(key));

        // An L1 hit completes here, without an async state machine of ours and without a duration (see L1Hit).
        var local = _fusion.TryGetAsync<T>(key.Local, _memoryOnly, cancellationToken);
        if (local.IsCompletedSuccessfully && local.Result.HasValue)
        {
            _statistics.L1Hit();
            return new(new CacheResult<T>(true, local.Result.Value));
        }

        return TryGetBeyondMemoryAsync(key, local, cancellationToken);
    }

    private async ValueTask<CacheResult<T>> TryGetBeyondMemoryAsync<T>(CacheKey key, ValueTask<MaybeValue<T>> local, CancellationToken cancellationToken)
    {
        var found = await local.ConfigureAwait(false);
        if (found.HasValue)
        {
            _statistics.L1Hit();
            return new CacheResult<T>(true, found.Value);
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            // Memory was looked at: this read goes to Redis only, so what it finds is an L2 hit.
            found = await _fusion.TryGetAsync<T>(key.Local, ReadOptions(key), cancellationToken).ConfigureAwait(false);
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

    public ValueTask<T?> GetAsync<T>(CacheKey key, CancellationToken cancellationToken = default)
    {
        var pending = TryGetAsync<T>(key, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            return new(result.HasValue ? result.Value : default);
        }

        return AwaitValueAsync(pending);

        static async ValueTask<T?> AwaitValueAsync(ValueTask<CacheResult<T>> pending)
        {
            var result = await pending.ConfigureAwait(false);
            return result.HasValue ? result.Value : default;
        }
    }

    public async ValueTask SetAsync<T>(CacheKey key, T value, CacheLifetime? lifetime = null, IReadOnlyCollection<CacheTag>? tags = null, CancellationToken cancellationToken = default)
    {
        EnsureKey(key, nameof(key));
        var tagValues = TagValues(tags);
        var size = EnsureSerializable(value, nameof(value));
        var options = EntryOptions(lifetime, RecordSize(key, size));
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

    public ValueTask<T> GetOrSetAsync<T>(CacheKey key, Func<CancellationToken, Task<T>> factory, CacheLifetime? lifetime = null, IReadOnlyCollection<CacheTag>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return GetOrSetAsync(key, (_, ct) => factory(ct), lifetime, tags, cancellationToken);
    }

    public ValueTask<T> GetOrSetAsync<T>(CacheKey key, Func<CacheEntryContext, CancellationToken, Task<T>> factory, CacheLifetime? lifetime = null, IReadOnlyCollection<CacheTag>? tags = null, CancellationToken cancellationToken = default)
    {
        EnsureKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(factory);
        var callLifetime = lifetime ?? CacheLifetime.FromTier(_options.DefaultDuration);
        EnsurePositive(callLifetime.Ttl, nameof(lifetime));
        EnsureTags(tags);

        // An L1 hit completes here: no entry options, no factory closure, no async state machine, no duration.
        var local = _fusion.TryGetAsync<T>(key.Local, _memoryOnly, cancellationToken);
        if (local.IsCompletedSuccessfully && local.Result.HasValue)
        {
            _statistics.L1Hit();
            return new(local.Result.Value);
        }

        return GetOrSetBeyondMemoryAsync(key, factory, callLifetime, tags, local, cancellationToken);
    }

    private async ValueTask<T> GetOrSetBeyondMemoryAsync<T>(CacheKey key, Func<CacheEntryContext, CancellationToken, Task<T>> factory, CacheLifetime callLifetime, IReadOnlyCollection<CacheTag>? tags, ValueTask<MaybeValue<T>> local, CancellationToken cancellationToken)
    {
        var inMemory = await local.ConfigureAwait(false);
        if (inMemory.HasValue)
        {
            _statistics.L1Hit();
            return inMemory.Value;
        }

        var start = Stopwatch.GetTimestamp();
        var fill = (Ran: false, Stored: false, Generation: (long?)null, Tags: (string[]?)null);
        try
        {
            var options = EntryOptions(callLifetime, EstimatedSize(key));
            var tagValues = TagValues(tags);
            var value = await _fusion.GetOrSetAsync<T>(
                key.Local,
                async (ctx, ct) =>
                {
                    fill.Ran = true;
                    _statistics.FactoryCall();

                    // Noted before the query: an invalidation stamped after this may concern data the query read.
                    fill.Generation = await _generations.SnapshotAsync(ct).ConfigureAwait(false);
                    var entry = new CacheEntryContext(key, callLifetime, tags);
                    var result = await factory(entry, ct).ConfigureAwait(false);
                    var size = EnsureSerializable(result, nameof(factory));
                    foreach (var observer in _observers)
                    {
                        await observer.OnLoadedAsync(key, ct).ConfigureAwait(false);
                    }

                    fill.Tags = TagValues(entry.Tags);
                    ctx.Tags = fill.Tags;
                    if (entry.IsNotFound)
                    {
                        ApplyLifetime(ctx.Options, CacheLifetime.FromTtl(_options.NegativeDuration));
                        ctx.Options.IsFailSafeEnabled = false;
                    }
                    else if (entry.LifetimeChanged)
                    {
                        ApplyLifetime(ctx.Options, entry.Lifetime);
                    }

                    ctx.Options.Size = RecordSize(key, size);
                    var stale = fill.Generation is { } generation
                        && await _generations.ChangedSinceAsync(fill.Tags, generation, ct).ConfigureAwait(false);
                    if (!entry.IsCacheable || stale)
                    {
                        // Everyone waiting gets this answer; nobody after them gets it from the cache.
                        ctx.Options.SetSkipMemoryCacheWrite(true).SetSkipDistributedCacheWrite(true, true);
                        ctx.Options.IsFailSafeEnabled = false;
                        if (stale)
                        {
                            _statistics.StaleFillDropped();
                        }
                    }
                    else
                    {
                        fill.Stored = true;
                    }

                    return result;
                },
                default,
                options,
                tagValues,
                cancellationToken).ConfigureAwait(false);

            if (fill.Ran)
            {
                _statistics.Miss();
                if (fill.Stored)
                {
                    await DropIfInvalidatedMeanwhileAsync([key], fill.Generation, fill.Tags, cancellationToken).ConfigureAwait(false);
                }
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

    /// <summary>
    /// The check before the write leaves a gap: an invalidation stamped between that check and the write.
    /// Looking again once the value is stored closes it; what the invalidation missed is removed here.
    /// </summary>
    private async Task DropIfInvalidatedMeanwhileAsync(IReadOnlyCollection<CacheKey> keys, long? generation, string[]? tags, CancellationToken cancellationToken)
    {
        if (generation is not { } since || tags is null)
        {
            return;
        }

        if (await _generations.ChangedSinceAsync(tags, since, cancellationToken).ConfigureAwait(false))
        {
            _statistics.StaleFillDropped(keys.Count);
            foreach (var key in keys)
            {
                await _fusion.RemoveAsync(key.Local, token: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask<IReadOnlyDictionary<CacheKey, T>> GetManyAsync<T>(IEnumerable<CacheKey> keys, CancellationToken cancellationToken = default)
    {
        var distinct = DistinctKeys(keys);
        var start = Stopwatch.GetTimestamp();
        try
        {
            var found = await GetManyCoreAsync<T>(distinct, cancellationToken).ConfigureAwait(false);
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
        long largest = 1;
        foreach (var (key, value) in entries)
        {
            EnsureKey(key, nameof(entries));
            largest = Math.Max(largest, RecordSize(key, EnsureSerializable(value, nameof(entries))));
            unique[key] = value;
        }

        // One options object for the batch: sized by its largest value, so the budget is never underestimated.
        var options = EntryOptions(lifetime, largest);
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
        var options = EntryOptions(lifetime, distinct.Count == 0 ? DefaultEntrySize : EstimatedSize(distinct[0]));
        var tagValues = TagValues(tags);
        var start = Stopwatch.GetTimestamp();
        try
        {
            var found = await GetManyCoreAsync<T>(distinct, cancellationToken).ConfigureAwait(false);
            var missing = distinct.Where(k => !found.ContainsKey(k)).ToList();
            if (missing.Count == 0)
            {
                return found;
            }

            _statistics.Miss(missing.Count);
            _statistics.FactoryCall();

            // Guarded like a single fill: FusionCache stamps these entries when they are set, after the query,
            // so its tag timestamps would take what was read before an invalidation for newer than it. The
            // batch's tags are known up front: without any there is nothing to guard.
            var generation = tagValues is null ? null : await _generations.SnapshotAsync(cancellationToken).ConfigureAwait(false);
            var loaded = await factory(missing, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The GetOrSetMany factory returned null; return an empty dictionary for no values.");

            var fresh = new Dictionary<CacheKey, T>();
            foreach (var key in missing)
            {
                if (loaded.TryGetValue(key, out var value))
                {
                    options.Size = Math.Max(options.Size ?? 1, RecordSize(key, EnsureSerializable(value, nameof(factory))));
                    fresh[key] = value;
                    found[key] = value;
                }
            }

            if (generation is { } since && await _generations.ChangedSinceAsync(tagValues, since, cancellationToken).ConfigureAwait(false))
            {
                _statistics.StaleFillDropped(fresh.Count);
                return found;
            }

            await SetManyCoreAsync(fresh, options, tagValues, cancellationToken).ConfigureAwait(false);
            await DropIfInvalidatedMeanwhileAsync(fresh.Keys, generation, tagValues, cancellationToken).ConfigureAwait(false);
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
            var value = tag.Value;
            await _invalidationRounds.RunAsync(value, () => InvalidateTagNowAsync(value)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _statistics.Elapsed("invalidate_tag", start);
        }
    }

    // One round of InvalidateTagAsync, shared by every caller that joined it (InvalidationRounds).
    private async Task InvalidateTagNowAsync(string tag)
    {
        var token = _closing.Token;
        // Stamped first: a fill that checks after this sees it, one that checked before is removed by the tag.
        await _generations.AdvanceAsync(tag, token).ConfigureAwait(false);
        await _fusion.RemoveByTagAsync(tag, token: token).ConfigureAwait(false);
        _ = SettleTagStampAsync(tag);
    }

    /// <summary>
    /// FusionCache loads a tag's stamp into memory with a GetOrSet on the first hit of an entry carrying the tag.
    /// A load that read Redis just before this invalidation's stamp got there writes "never invalidated" into
    /// this process's memory just after the stamp, and the invalidation is lost here (Redis and the other
    /// replicas have it) for as long as the stamp lives in memory: measured, most of 3,000 invalidations raced
    /// by a read were lost that way. Every such load is over within the hard timeout, so once that has passed
    /// the stamp goes back into memory if it was overwritten.
    /// </summary>
    private async Task SettleTagStampAsync(string tag)
    {
        var key = _tagStampPrefix + tag;
        try
        {
            var closing = _closing.Token;
            var stamped = await _fusion.TryGetAsync<long>(key, _tagStampMemoryOnly, closing).ConfigureAwait(false);

            // Looked at twice: soon (a load answered by Redis in the usual fraction of a millisecond) and once the
            // slowest possible load is over.
            var waited = TimeSpan.Zero;
            foreach (var after in _tagStampLooks)
            {
                await Task.Delay(after - waited, _time, closing).ConfigureAwait(false);
                waited = after;
                var now = await _fusion.TryGetAsync<long>(key, _tagStampMemoryOnly, closing).ConfigureAwait(false);
                if (!now.HasValue || (stamped.HasValue && stamped.Value > 0 && now.Value >= stamped.Value))
                {
                    // Not in memory (the next hit loads it from Redis), or still this invalidation's stamp or a later one.
                    continue;
                }

                if (stamped.HasValue && stamped.Value > 0)
                {
                    await _fusion.SetAsync(key, stamped.Value, _tagStampMemoryOnly, token: closing).ConfigureAwait(false);
                }
                else
                {
                    // Overwritten before it could be read back: stamp again, in this process only.
                    await _fusion.RemoveByTagAsync(tag, _tagStampMemoryOnly, closing).ConfigureAwait(false);
                    stamped = await _fusion.TryGetAsync<long>(key, _tagStampMemoryOnly, closing).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The cache is closing.
        }
        catch (Exception ex)
        {
            Log.TagStampNotSettled(_logger, tag, Namespace, ex);
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
                _statistics.L1Hit();
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
            values = await ClusterSlots.GetPerSlotAsync(CacheConnection, redisKeys).WaitAsync(_options.DistributedHardTimeout, cancellationToken).ConfigureAwait(false);
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
                var remote = await _fusion.TryGetAsync<T>(misses[i].Local, ReadOptions(misses[i]), cancellationToken).ConfigureAwait(false);
                if (remote.HasValue)
                {
                    _statistics.Hit();
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

    internal FusionCacheEntryOptions EntryOptions(CacheLifetime? lifetime) => EntryOptions(lifetime, DefaultEntrySize);

    internal FusionCacheEntryOptions EntryOptions(CacheLifetime? lifetime, long size)
    {
        var options = _fusion.DefaultEntryOptions.Duplicate();
        ApplyLifetime(options, lifetime ?? CacheLifetime.FromTier(_options.DefaultDuration));
        options.Size = size;
        return options;
    }

    private void ApplyLifetime(FusionCacheEntryOptions options, CacheLifetime lifetime)
    {
        var ttl = lifetime.Ttl;
        EnsurePositive(ttl, nameof(lifetime));
        options.Duration = ttl;
        options.JitterMaxDuration = TimeSpan.FromTicks((long)(ttl.Ticks * _options.JitterFraction));

        // A stale value stays usable for the configured span past its own TTL, never less than the TTL.
        options.FailSafeMaxDuration = ttl + _options.FailSafeMaxDuration;
    }

    /// <summary>Options for the Redis read after a memory miss; it fills memory sized like the entity's last fills.</summary>
    private FusionCacheEntryOptions ReadOptions(CacheKey key)
    {
        var size = EstimatedSize(key);
        if (_readOptions.TryGetValue(key.Entity, out var options) && options.Size == size)
        {
            return options;
        }

        // FusionCache only reads the options it is given, so one instance serves every read of the entity.
        options = _fusion.DefaultEntryOptions.Duplicate();
        options.Size = size;

        // Memory was looked at first: this read asks Redis only (and fills memory), so its hits are L2 hits.
        options.SkipMemoryCacheRead = true;
        _readOptions[key.Entity] = options;
        return options;
    }

    private long EstimatedSize(CacheKey key) => _entitySizes.TryGetValue(key.Entity, out var size) ? size : DefaultEntrySize;

    private long RecordSize(CacheKey key, long size)
    {
        size = Math.Max(1, size);
        _entitySizes[key.Entity] = size;
        return size;
    }

    private long EnsureSerializable<T>(T value, string parameter)
    {
        // Serialize once up front so a bad value fails here even when L2 is skipped (circuit open), not
        // later on another replica; the byte count is the entry's size in the L1 budget.
        try
        {
            return _serializer.Serialize(value).Length;
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new ArgumentException($"A value of type {typeof(T).Name} cannot be serialized for the cache: {ex.Message}", parameter, ex);
        }
    }
}
