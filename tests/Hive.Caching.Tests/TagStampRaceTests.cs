using Hive.Testing;

namespace Hive.Caching.Tests;

/// <summary>
/// An invalidation that lands while this process is loading the tag's stamp from Redis for the first time.
/// FusionCache's load of a stamp that Redis does not have yet writes "never invalidated" into this process's
/// memory when it returns; if that return comes after the invalidation's own memory write, the invalidation
/// is lost here (only here: Redis and the other replicas have it) for as long as the stamp lives in memory.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class TagStampRaceTests(RedisFixture redis)
{
    [Fact]
    public async Task AnInvalidationThatRacesTheFirstReadOfItsTagsStampStillEvictsInThisProcess()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;

        // The window is a few microseconds wide, so it is tried many times, each on a tag never read before.
        var raced = new List<CacheKey>();
        for (var i = 0; i < 3000; i++)
        {
            var key = cache.Keys.For("page", i);
            var tag = cache.Keys.Tag("product", i);
            await cache.SetAsync(key, "old price", tags: [tag]);
            var read = Task.Run(async () => await cache.TryGetAsync<string>(key));
            var invalidation = Task.Run(async () => await cache.InvalidateTagAsync(tag));
            await Task.WhenAll(read, invalidation);
            raced.Add(key);
        }

        var stale = new List<CacheKey>();
        foreach (var key in raced)
        {
            if ((await cache.TryGetAsync<string>(key)).HasValue)
            {
                stale.Add(key);
            }
        }

        await Eventually.TrueAsync(
            async () =>
            {
                foreach (var key in stale.ToList())
                {
                    if (!(await cache.TryGetAsync<string>(key)).HasValue)
                    {
                        stale.Remove(key);
                    }
                }

                return stale.Count == 0;
            },
            TimeSpan.FromSeconds(15),
            "every entry whose tag was invalidated is no longer served by the process that invalidated it");
    }
}
