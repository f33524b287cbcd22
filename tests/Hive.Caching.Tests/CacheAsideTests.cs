using Hive.Testing;

namespace Hive.Caching.Tests;

[Collection(RedisCollection.Name)]
public sealed class CacheAsideTests(RedisFixture redis)
{
    public sealed record Product(int Id, string Name, decimal Price);

    [Fact]
    public async Task SetThenGetReturnsTheValueAndRemoveMakesItAMiss()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var key = cache.Keys.For("product", 1);

        Assert.False((await cache.TryGetAsync<Product>(key)).HasValue);
        await cache.SetAsync(key, new Product(1, "Lamp", 9.5m), CacheDuration.Short);
        Assert.Equal(new Product(1, "Lamp", 9.5m), await cache.GetAsync<Product>(key));

        await cache.RemoveAsync(key);
        Assert.False((await cache.TryGetAsync<Product>(key)).HasValue);
        Assert.Null(await cache.GetAsync<Product>(key));
    }

    [Fact]
    public async Task EntriesAreStoredInRedisUnderTheServiceNamespace()
    {
        var ns = CacheInstance.NewNamespace();
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await instance.Api.SetAsync(instance.Api.Keys.For("product", "42"), "x", CacheDuration.Medium);

        var ttl = await instance.Connection.GetDatabase().KeyTimeToLiveAsync($"{ns}:product:42");
        Assert.NotNull(ttl);
        Assert.True(ttl > TimeSpan.FromMinutes(5), "physical TTL covers the fail-safe span past the 5 min tier");
    }

    [Fact]
    public async Task AnEntryRedisHoldsInAShapeThisVersionCannotReadIsAMissThatTheFillReplaces()
    {
        var ns = CacheInstance.NewNamespace();
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = instance.Api.Keys.For("product", 9);
        // What an older version (or a changed model) left behind: not an entry this one can read.
        await instance.Connection.GetDatabase().StringSetAsync($"{ns}:product:9", "{\"v\":1,\"value\":\"old shape\"", TimeSpan.FromMinutes(5));

        var product = await instance.Api.GetOrSetAsync(key, _ => Task.FromResult(new Product(9, "Kikoi", 12m)), CacheDuration.Short);

        Assert.Equal(new Product(9, "Kikoi", 12m), product);
        await using var other = await CacheInstance.CreateAsync(redis.Configuration, ns);
        Assert.Equal(new Product(9, "Kikoi", 12m), await other.Api.GetAsync<Product>(key));
    }

    [Fact]
    public async Task HundredConcurrentCallersRunTheFactoryOnce()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var key = cache.Keys.For("product", 7);
        var calls = 0;
        var gate = new TaskCompletionSource();

        var callers = Enumerable.Range(0, 100).Select(_ => Task.Run(async () => await cache.GetOrSetAsync(key, async _ =>
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            return new Product(7, "Chair", 20m);
        }))).ToArray();

        // Let every caller reach the cache before the single factory call finishes.
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref calls) >= 1), TimeSpan.FromSeconds(10), "the factory started");
        gate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, calls);
        Assert.All(results, p => Assert.Equal("Chair", p.Name));
        Assert.Equal(1, cache.GetStatistics().FactoryCalls);
    }

    [Fact]
    public async Task GetOrSetServesTheCachedValueWithoutCallingTheFactoryAgain()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var key = cache.Keys.For("product", 8);
        var calls = 0;

        for (var i = 0; i < 3; i++)
        {
            var value = await cache.GetOrSetAsync(key, _ => Task.FromResult(++calls), TimeSpan.FromMinutes(1));
            Assert.Equal(1, value);
        }

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GetOrSetManyCallsTheFactoryOnceForAllMisses()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var keys = Enumerable.Range(1, 10).Select(i => cache.Keys.For("product", i)).ToList();
        await cache.SetAsync(keys[0], "cached-1");
        await cache.SetAsync(keys[1], "cached-2");
        var factoryCalls = 0;
        IReadOnlyList<CacheKey>? asked = null;

        var values = await cache.GetOrSetManyAsync<string>(keys, (missing, _) =>
        {
            factoryCalls++;
            asked = missing;
            return Task.FromResult<IReadOnlyDictionary<CacheKey, string>>(missing.ToDictionary(k => k, k => "loaded-" + k.Local));
        });

        Assert.Equal(1, factoryCalls);
        Assert.Equal(8, asked!.Count);
        Assert.Equal(10, values.Count);
        Assert.Equal("cached-1", values[keys[0]]);
        Assert.Equal("loaded-product:5", values[keys[4]]);

        var again = await cache.GetOrSetManyAsync<string>(keys, (_, _) => throw new InvalidOperationException("all cached now"));
        Assert.Equal(10, again.Count);
        Assert.Equal(1, factoryCalls);
    }

    [Fact]
    public async Task DurationTiersMapToTheAgreedLengths()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), CacheLifetime.ToTimeSpan(CacheDuration.Short));
        Assert.Equal(TimeSpan.FromMinutes(5), CacheLifetime.ToTimeSpan(CacheDuration.Medium));
        Assert.Equal(TimeSpan.FromHours(1), CacheLifetime.ToTimeSpan(CacheDuration.Long));
        Assert.Equal(TimeSpan.FromHours(24), CacheLifetime.ToTimeSpan(CacheDuration.Day));
        Assert.Equal(TimeSpan.FromDays(7), CacheLifetime.ToTimeSpan(CacheDuration.Week));

        // Jitter spreads the logical expiry of entries written together (FusionCache adds up to this much).
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace(), o => o.JitterFraction = 0.1);
        Assert.Equal(TimeSpan.FromMinutes(6), instance.Cache.EntryOptions(CacheDuration.Long).JitterMaxDuration);
        Assert.Equal(TimeSpan.FromHours(1), instance.Cache.EntryOptions(CacheDuration.Long).Duration);
    }

    [Fact]
    public async Task AnEntryExpiresAfterItsTtl()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace(), o => o.JitterFraction = 0);
        var cache = instance.Api;
        var key = cache.Keys.For("short", "lived");
        await cache.SetAsync(key, "v", TimeSpan.FromMilliseconds(300));

        await Eventually.TrueAsync(async () => !(await cache.TryGetAsync<string>(key)).HasValue, TimeSpan.FromSeconds(5), "the entry expired");
    }
}
