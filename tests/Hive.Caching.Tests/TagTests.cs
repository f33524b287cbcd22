using Hive.Testing;

namespace Hive.Caching.Tests;

[Collection(RedisCollection.Name)]
public sealed class TagTests(RedisFixture redis)
{
    [Fact]
    public async Task InvalidatingProductOneLeavesProductTenAlone()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var one = cache.Keys.For("product", 1);
        var oneReviews = cache.Keys.For("reviews", 1);
        var ten = cache.Keys.For("product", 10);

        await cache.SetAsync(one, "one", tags: [cache.Keys.Tag("product", 1)]);
        await cache.SetAsync(oneReviews, "one-reviews", tags: [cache.Keys.Tag("product", 1)]);
        await cache.SetAsync(ten, "ten", tags: [cache.Keys.Tag("product", 10)]);

        await cache.InvalidateTagAsync(cache.Keys.Tag("product", 1));

        Assert.False((await cache.TryGetAsync<string>(one)).HasValue);
        Assert.False((await cache.TryGetAsync<string>(oneReviews)).HasValue);
        Assert.Equal("ten", await cache.GetAsync<string>(ten));
    }

    [Fact]
    public async Task AnEntityWideTagInvalidatesEveryEntryCarryingIt()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var keys = Enumerable.Range(1, 5).Select(i => cache.Keys.For("product", i)).ToList();
        foreach (var key in keys)
        {
            await cache.SetAsync(key, key.Local, tags: [cache.Keys.Tag("product")]);
        }

        var other = cache.Keys.For("category", 1);
        await cache.SetAsync(other, "c", tags: [cache.Keys.Tag("category")]);

        await cache.InvalidateTagAsync(cache.Keys.Tag("product"));

        Assert.Empty(await cache.GetManyAsync<string>(keys));
        Assert.Equal("c", await cache.GetAsync<string>(other));
    }

    [Fact]
    public async Task GetOrSetRunsTheFactoryAgainAfterItsTagIsInvalidated()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var key = cache.Keys.For("product", 5);
        var tag = cache.Keys.Tag("product", 5);
        var version = 0;

        Assert.Equal(1, await cache.GetOrSetAsync(key, _ => Task.FromResult(++version), tags: [tag]));
        Assert.Equal(1, await cache.GetOrSetAsync(key, _ => Task.FromResult(++version), tags: [tag]));
        await cache.InvalidateTagAsync(tag);
        Assert.Equal(2, await cache.GetOrSetAsync(key, _ => Task.FromResult(++version), tags: [tag]));
    }
}
