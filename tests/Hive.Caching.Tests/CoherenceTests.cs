using Hive.Testing;

namespace Hive.Caching.Tests;

/// <summary>Two caches with separate memory sharing one Redis, as two replicas of a service.</summary>
[Collection(RedisCollection.Name)]
public sealed class CoherenceTests(RedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AWriteInOneReplicaIsSeenByTheOtherThatHadTheOldValueInMemory()
    {
        var ns = CacheInstance.NewNamespace();
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("product", 1);

        await a.Api.SetAsync(key, "v1");
        Assert.Equal("v1", await b.Api.GetAsync<string>(key));

        await a.Api.SetAsync(key, "v2");

        // The backplane message is delivered asynchronously to B, so B is given a short deadline.
        await Eventually.TrueAsync(async () => await b.Api.GetAsync<string>(key) == "v2", Deadline, "B sees A's write");
    }

    [Fact]
    public async Task ARemoveInOneReplicaRemovesTheEntryFromTheOther()
    {
        var ns = CacheInstance.NewNamespace();
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("product", 2);

        await a.Api.SetAsync(key, "v1");
        Assert.Equal("v1", await b.Api.GetAsync<string>(key));
        await a.Api.RemoveAsync(key);

        await Eventually.TrueAsync(async () => !(await b.Api.TryGetAsync<string>(key)).HasValue, Deadline, "B no longer has the entry");
    }

    [Fact]
    public async Task AReplicaThatHadNothingInMemoryReadsTheNewValueImmediately()
    {
        var ns = CacheInstance.NewNamespace();
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("product", 3);

        await a.Api.SetAsync(key, "v1");
        await a.Api.SetAsync(key, "v2");

        // No wait: the write returned only after Redis had it.
        Assert.Equal("v2", await b.Api.GetAsync<string>(key));
    }

    [Fact]
    public async Task TagInvalidationInOneReplicaIsSeenByTheOther()
    {
        var ns = CacheInstance.NewNamespace();
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("product-page", 1);
        var tag = a.Api.Keys.Tag("product", 1);

        await a.Api.SetAsync(key, "page", tags: [tag]);
        Assert.Equal("page", await b.Api.GetAsync<string>(key));

        await a.Api.InvalidateTagAsync(tag);

        Assert.False((await a.Api.TryGetAsync<string>(key)).HasValue);
        await Eventually.TrueAsync(async () => !(await b.Api.TryGetAsync<string>(key)).HasValue, Deadline, "B dropped the tagged entry");
        var many = await b.Api.GetManyAsync<string>([key]);
        Assert.Empty(many);
    }
}
