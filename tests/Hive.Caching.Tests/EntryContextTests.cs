using Hive.Testing;

namespace Hive.Caching.Tests;

/// <summary>
/// What a factory may decide about its own entry (<see cref="CacheEntryContext"/>): not to cache it, a lifetime of
/// its own, tags known only from its answer; and the tags it may not add.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class EntryContextTests(RedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnAnswerTheFactoryDeclinesToCacheIsReturnedButAskedForAgainNextTime()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var key = cache.Keys.For("quote", 1);
        var calls = 0;

        for (var i = 1; i <= 2; i++)
        {
            Assert.Equal($"quote {i}", await cache.GetOrSetAsync(key, (entry, _) =>
            {
                entry.DoNotCache();
                Assert.False(entry.IsCacheable);
                return Task.FromResult($"quote {++calls}");
            }));
        }

        Assert.False((await cache.TryGetAsync<string>(key)).HasValue);
        Assert.False(await instance.Connection.GetDatabase().KeyExistsAsync(key.Value));
    }

    [Fact]
    public async Task AnAnswerWithALifetimeOfItsOwnLivesThatLongNotTheCallsLifetime()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var key = cache.Keys.For("stock", 1);
        var calls = 0;
        Task<int> Read() => cache.GetOrSetAsync(key, (entry, _) =>
        {
            entry.UseLifetime(CacheLifetime.FromTtl(TimeSpan.FromSeconds(2)));
            Assert.Equal(TimeSpan.FromSeconds(2), entry.Lifetime.Ttl);
            return Task.FromResult(++calls);
        }, CacheDuration.Long).AsTask();

        Assert.Equal(1, await Read());
        Assert.Equal(1, await Read());
        await Eventually.TrueAsync(async () => await Read() == 2, Deadline, "the short-lived answer asked for again");
    }

    [Fact]
    public async Task TagsTheFactoryAddsAllDropTheEntry()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var key = cache.Keys.For("results", "jiko");
        Task<string> Read() => cache.GetOrSetAsync(key, (entry, _) =>
        {
            entry.AddTags([cache.Keys.Tag("product", 1), cache.Keys.Tag("product", 2), cache.Keys.Tag("product", 1)]);
            Assert.Equal(2, entry.Tags.Count);
            return Task.FromResult("page");
        }).AsTask();

        foreach (var id in new[] { 1, 2 })
        {
            Assert.Equal("page", await Read());
            Assert.True((await cache.TryGetAsync<string>(key)).HasValue);
            await cache.InvalidateTagAsync(cache.Keys.Tag("product", id));
            Assert.False((await cache.TryGetAsync<string>(key)).HasValue, $"dropped with product {id}");
        }
    }

    [Fact]
    public async Task AFactoryCannotTagItsEntryWithAnotherNamespacesTagOrNone()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var foreign = new CacheKeyBuilder("othersvc").Tag("product", 1);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => cache.GetOrSetAsync(cache.Keys.For("a", 1), (entry, _) => { entry.AddTag(foreign); return Task.FromResult(1); }).AsTask());
        Assert.Contains($"does not belong to this cache's namespace '{cache.Namespace}'", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => cache.GetOrSetAsync(cache.Keys.For("a", 2), (entry, _) => { entry.AddTag(default); return Task.FromResult(1); }).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => cache.GetOrSetAsync(cache.Keys.For("a", 3), (entry, _) => { entry.AddTags(null!); return Task.FromResult(1); }).AsTask());
        Assert.False((await cache.TryGetAsync<int>(cache.Keys.For("a", 1))).HasValue);
    }
}
