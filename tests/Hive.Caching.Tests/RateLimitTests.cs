using Hive.Testing;

namespace Hive.Caching.Tests;

[Collection(RedisCollection.Name)]
public sealed class RateLimitTests(RedisFixture redis)
{
    [Fact]
    public async Task ExactlyTheLimitIsAllowedAcrossTwoInstancesUnderConcurrency()
    {
        var ns = CacheInstance.NewNamespace();
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("login", "user-1");
        const int limit = 50;

        var calls = Enumerable.Range(0, limit + 30)
            .Select(i => Task.Run(async () => await (i % 2 == 0 ? a.Redis : b.Redis).CheckRateLimitAsync(key, limit, TimeSpan.FromMinutes(1))))
            .ToArray();
        var results = await Task.WhenAll(calls);

        Assert.Equal(limit, results.Count(r => r.Allowed));
        Assert.All(results, r => Assert.False(r.IsFallback));
        var denied = results.Where(r => !r.Allowed).ToList();
        Assert.Equal(30, denied.Count);
        Assert.All(denied, r =>
        {
            Assert.Equal(0, r.Remaining);
            Assert.True(r.RetryAfter > TimeSpan.Zero && r.RetryAfter <= TimeSpan.FromMinutes(1));
        });
        Assert.Equal(Enumerable.Range(0, limit).Reverse().ToHashSet(), results.Where(r => r.Allowed).Select(r => r.Remaining).ToHashSet());
        Assert.All(results.Where(r => r.Allowed), r => Assert.Equal(TimeSpan.Zero, r.RetryAfter));
    }

    [Fact]
    public async Task TheWindowSlidesSoCallsAreAllowedAgainLater()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var key = instance.Api.Keys.For("api", "client-9");
        var window = TimeSpan.FromMilliseconds(400);

        Assert.True((await instance.Redis.CheckRateLimitAsync(key, 2, window)).Allowed);
        Assert.True((await instance.Redis.CheckRateLimitAsync(key, 2, window)).Allowed);
        var denied = await instance.Redis.CheckRateLimitAsync(key, 2, window);
        Assert.False(denied.Allowed);
        Assert.True(denied.ResetAt > DateTimeOffset.UnixEpoch);

        await Eventually.TrueAsync(async () => (await instance.Redis.CheckRateLimitAsync(key, 2, window)).Allowed, TimeSpan.FromSeconds(5), "the window slid");
    }

    [Fact]
    public async Task DifferentKeysHaveSeparateLimits()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var primitives = instance.Redis;
        Assert.True((await primitives.CheckRateLimitAsync(cache.Keys.For("api", "1"), 1, TimeSpan.FromMinutes(1))).Allowed);
        Assert.True((await primitives.CheckRateLimitAsync(cache.Keys.For("api", "10"), 1, TimeSpan.FromMinutes(1))).Allowed);
        Assert.False((await primitives.CheckRateLimitAsync(cache.Keys.For("api", "1"), 1, TimeSpan.FromMinutes(1))).Allowed);
    }
}
