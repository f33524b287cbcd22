using Hive.Testing;

namespace Hive.Caching.Tests;

[Collection(RedisCollection.Name)]
public sealed class ValidationTests(RedisFixture redis)
{
    private sealed class SelfReferencing
    {
        public SelfReferencing? Self { get; set; }
    }

    [Fact]
    public async Task EmptyKeysNonPositiveTtlsLimitsAndWindowsAreRejected()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var primitives = instance.Redis;
        var key = cache.Keys.For("product", 1);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await cache.GetAsync<string>(default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await cache.SetAsync(default, "x"));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await cache.SetAsync(key, "x", TimeSpan.Zero));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await cache.SetAsync(key, "x", TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await cache.GetOrSetAsync(key, _ => Task.FromResult(1), TimeSpan.Zero));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await cache.GetManyAsync<string>([key, default]));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await cache.InvalidateTagAsync(default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await primitives.CheckRateLimitAsync(key, 0, TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await primitives.CheckRateLimitAsync(key, -1, TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await primitives.CheckRateLimitAsync(key, 5, TimeSpan.Zero));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await primitives.CheckRateLimitAsync(key, 5, TimeSpan.FromMilliseconds(0.9)));
        Assert.True((await primitives.CheckRateLimitAsync(key, 5, TimeSpan.FromMilliseconds(1))).Allowed, "a 1 ms window is the shortest allowed");
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await primitives.AcquireLockAsync(key, TimeSpan.FromSeconds(1), wait: TimeSpan.FromMilliseconds(-1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await primitives.AcquireLockAsync(key, TimeSpan.Zero));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await primitives.IncrementAsync(key, 1, TimeSpan.FromSeconds(-5)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await primitives.LeaderboardTopAsync(key, 0));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await primitives.LeaderboardAddAsync(key, "", 1));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await primitives.LeaderboardAddAsync(key, "m", double.NaN));
    }

    [Fact]
    public async Task KeysFromAnotherNamespaceAreRejected()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var foreign = new CacheKeyBuilder("search").For("product", 1);

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await instance.Api.GetAsync<string>(foreign));
        Assert.Contains("search", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await instance.Api.SetAsync(foreign, "x"));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await instance.Api.RemoveAsync(foreign));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await instance.Api.GetOrSetAsync(foreign, _ => Task.FromResult("x")));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await instance.Api.GetOrSetAsync(foreign, (_, _) => Task.FromResult("x")));

        // Nothing was written under the other namespace's key.
        var other = new CacheKeyBuilder(instance.Api.Namespace).For("product", 1);
        Assert.False((await instance.Api.TryGetAsync<string>(other)).HasValue);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await instance.Api.InvalidateTagAsync(new CacheKeyBuilder("search").Tag("product", 1)));
    }

    [Fact]
    public async Task AReadAnsweredFromMemoryStillRefusesABadLifetimeOrAForeignTag()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var key = cache.Keys.For("product", 1);
        await cache.SetAsync(key, "cached");
        Assert.Equal("cached", await cache.GetOrSetAsync(key, _ => Task.FromResult("loaded")));

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await cache.GetOrSetAsync(key, _ => Task.FromResult("loaded"), default(CacheLifetime)));
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () =>
            await cache.GetOrSetAsync(key, _ => Task.FromResult("loaded"), tags: [new CacheKeyBuilder("search").Tag("product", 1)]));
        Assert.Contains("search", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFactoryIsRefusedEvenWhenTheValueIsInMemory()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var cached = cache.Keys.For("product", 1);
        await cache.SetAsync(cached, "cached");

        foreach (var key in new[] { cached, cache.Keys.For("product", 2) })
        {
            await Assert.ThrowsAsync<ArgumentNullException>(async () => await cache.GetOrSetAsync(key, (Func<CancellationToken, Task<string>>)null!));
            await Assert.ThrowsAsync<ArgumentNullException>(async () => await cache.GetOrSetAsync(key, (Func<CacheEntryContext, CancellationToken, Task<string>>)null!));
        }
    }

    [Fact]
    public async Task AValueThatCannotBeSerializedFailsAtTheCall()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cycle = new SelfReferencing();
        cycle.Self = cycle;
        var key = instance.Api.Keys.For("bad", 1);

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await instance.Api.SetAsync(key, cycle));
        Assert.Contains("serialized", error.Message, StringComparison.Ordinal);
        Assert.False((await instance.Api.TryGetAsync<SelfReferencing>(key)).HasValue);
    }
}
