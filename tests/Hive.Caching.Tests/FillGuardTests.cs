using System.Diagnostics.Metrics;
using Hive.Testing;

namespace Hive.Caching.Tests;

/// <summary>A fill that read before an invalidation must not store what it read after it.</summary>
[Collection(RedisCollection.Name)]
public sealed class FillGuardTests(RedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>What the namespace reports as <c>hive.cache.stale_fills_dropped</c>: what operators see of this guard.</summary>
    private static MeterListener StaleFillsDropped(string ns, List<long> dropped)
        => StatisticsTests.MeasurementsOf<long>("hive.cache.stale_fills_dropped", ns, (value, _) =>
        {
            lock (dropped)
            {
                dropped.Add(value);
            }
        });

    [Fact]
    public async Task AReadHeldBetweenItsQueryAndItsWriteDoesNotPutOldDataBackAfterAnotherReplicaInvalidated()
    {
        var ns = CacheInstance.NewNamespace();
        var dropped = new List<long>();
        using var listener = StaleFillsDropped(ns, dropped);
        var key = new CacheKeyBuilder(ns).For("product", 1);
        var hold = new FillHold(key);
        await using var reader = await CacheInstance.CreateAsync(redis.Configuration, ns, observer: hold);
        await using var writer = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var database = "v1";

        var read = reader.Api.GetOrSetAsync(key, _ => Task.FromResult(database), CacheDuration.Long, [reader.Api.Keys.Tag("product", 1)]).AsTask();
        await hold.Reached.WaitAsync(Deadline);

        // The write commits and its invalidation runs on the other replica while the read is held.
        database = "v2";
        await writer.Api.InvalidateTagAsync(writer.Api.Keys.Tag("product", 1));
        hold.Release();

        Assert.Equal("v1", await read.WaitAsync(Deadline));
        lock (dropped)
        {
            Assert.Equal([1L], dropped);
        }

        Assert.False((await reader.Api.TryGetAsync<string>(key)).HasValue, "the old value is not in the reader's cache");
        Assert.False((await writer.Api.TryGetAsync<string>(key)).HasValue, "nor in Redis for the other replica");
        Assert.Equal("v2", await reader.Api.GetOrSetAsync(key, _ => Task.FromResult(database), CacheDuration.Long, [reader.Api.Keys.Tag("product", 1)]));
    }

    [Fact]
    public async Task ABatchFillThatReadBeforeAnInvalidationDoesNotStoreWhatItRead()
    {
        var ns = CacheInstance.NewNamespace();
        var dropped = new List<long>();
        using var listener = StaleFillsDropped(ns, dropped);
        await using var reader = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var writer = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var keys = new[] { reader.Api.Keys.For("product", 11), reader.Api.Keys.For("product", 12) };
        var tag = reader.Api.Keys.Tag("shop", 5);
        var untouched = reader.Api.Keys.Tag("category", 3);
        var database = "v1";
        var queried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The batch query has read v1 and is slow to come back; meanwhile the shop's data changes and the
        // other replica invalidates its tag (one of the batch's two: one is enough to make what it read old).
        var read = reader.Api.GetOrSetManyAsync<string>(
            keys,
            async (missing, ct) =>
            {
                var answer = missing.ToDictionary(k => k, _ => database);
                queried.TrySetResult();
                await release.Task.WaitAsync(ct);
                return answer;
            },
            CacheDuration.Long,
            [untouched, tag]).AsTask();
        await queried.Task.WaitAsync(Deadline);
        database = "v2";
        await writer.Api.InvalidateTagAsync(tag);
        release.SetResult();

        Assert.All((await read.WaitAsync(Deadline)).Values, v => Assert.Equal("v1", v));
        lock (dropped)
        {
            Assert.Equal([2L], dropped);
        }

        Assert.Empty(await reader.Api.GetManyAsync<string>(keys));
        Assert.Empty(await writer.Api.GetManyAsync<string>(keys));
        var again = await reader.Api.GetOrSetManyAsync<string>(keys, (missing, _) => Task.FromResult<IReadOnlyDictionary<CacheKey, string>>(missing.ToDictionary(k => k, _ => database)), CacheDuration.Long, [tag]);
        Assert.All(again.Values, v => Assert.Equal("v2", v));
    }

    [Fact]
    public async Task TagsAddedByTheFactoryAreGuardedAndInvalidateTheEntry()
    {
        var ns = CacheInstance.NewNamespace();
        var key = new CacheKeyBuilder(ns).For("results", "lamp");
        var hold = new FillHold(key);
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, ns, observer: hold);
        var cache = instance.Api;

        // Held: product 9 (known only from the answer) changes meanwhile, so the page is not kept.
        var first = cache.GetOrSetAsync(key, (entry, _) => { entry.AddTag(cache.Keys.Tag("product", 9)); return Task.FromResult("page-old"); }, CacheDuration.Short).AsTask();
        await hold.Reached.WaitAsync(Deadline);
        await cache.InvalidateTagAsync(cache.Keys.Tag("product", 9));
        hold.Release();
        Assert.Equal("page-old", await first.WaitAsync(Deadline));
        Assert.False((await cache.TryGetAsync<string>(key)).HasValue);

        // Not held: the page is kept, and dropping the tag the factory added drops it.
        Assert.Equal("page-new", await cache.GetOrSetAsync(key, (entry, _) => { entry.AddTag(cache.Keys.Tag("product", 9)); return Task.FromResult("page-new"); }, CacheDuration.Short));
        Assert.Equal("page-new", await cache.GetAsync<string>(key));
        await cache.InvalidateTagAsync(cache.Keys.Tag("product", 9));
        Assert.False((await cache.TryGetAsync<string>(key)).HasValue);
    }

    [Fact]
    public async Task AnInvalidationOfAnotherTagDoesNotStopTheFill()
    {
        var ns = CacheInstance.NewNamespace();
        var key = new CacheKeyBuilder(ns).For("product", 2);
        var hold = new FillHold(key);
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, ns, observer: hold);
        var cache = instance.Api;

        var read = cache.GetOrSetAsync(key, _ => Task.FromResult("two"), CacheDuration.Long, [cache.Keys.Tag("product", 2)]).AsTask();
        await hold.Reached.WaitAsync(Deadline);
        await cache.InvalidateTagAsync(cache.Keys.Tag("product", 3));
        hold.Release();

        Assert.Equal("two", await read.WaitAsync(Deadline));
        Assert.Equal("two", await cache.GetAsync<string>(key));
    }

    [Fact]
    public async Task AnInvalidatedEntryIsNotServedByFailSafeWhenTheSourceFails()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var key = cache.Keys.For("product", 4);
        var tag = cache.Keys.Tag("product", 4);
        await cache.GetOrSetAsync(key, _ => Task.FromResult("before"), TimeSpan.FromMinutes(1), [tag]);

        await cache.InvalidateTagAsync(tag);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await cache.GetOrSetAsync<string>(key, _ => throw new InvalidOperationException("database down"), TimeSpan.FromMinutes(1), [tag]));
    }

    [Fact]
    public async Task ANotFoundAnswerLivesOnlyTheNegativeDuration()
    {
        await using var instance = await CacheInstance.CreateAsync(
            redis.Configuration, CacheInstance.NewNamespace(), o => { o.NegativeDuration = TimeSpan.FromSeconds(1); o.JitterFraction = 0; });
        var cache = instance.Api;
        var key = cache.Keys.For("product", 404);
        var calls = 0;

        Task<string?> Load(CacheEntryContext entry, CancellationToken _)
        {
            calls++;
            entry.MarkNotFound();
            return Task.FromResult<string?>(null);
        }

        Assert.Null(await cache.GetOrSetAsync(key, Load, CacheDuration.Long));
        Assert.Null(await cache.GetOrSetAsync(key, Load, CacheDuration.Long));
        Assert.Equal(1, calls);
        var ttl = await instance.Connection.GetDatabase().KeyTimeToLiveAsync($"{cache.Namespace}:{key.Local}");
        Assert.True(ttl is { } t && t <= TimeSpan.FromSeconds(1), $"Redis keeps the negative entry {ttl}, not an hour");

        await Eventually.TrueAsync(
            async () => { await cache.GetOrSetAsync(key, Load, CacheDuration.Long); return calls > 1; },
            Deadline,
            "the negative entry expired and the source was asked again");
    }
}
