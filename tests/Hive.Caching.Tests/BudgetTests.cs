using Hive.Testing;

namespace Hive.Caching.Tests;

/// <summary>Memory and Redis structures a flood of distinct requests cannot grow without bound.</summary>
[Collection(RedisCollection.Name)]
public sealed class BudgetTests(RedisFixture redis)
{
    [Fact]
    public async Task TheMemoryCacheStaysWithinItsBudgetAndReportsEvictions()
    {
        const long budget = 64 * 1024;
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace(), o => o.MemorySizeLimit = budget);
        var cache = instance.Api;
        var payload = new string('x', 2000);

        // Ten times the budget, as distinct keys a client could make up.
        for (var i = 0; i < 320; i++)
        {
            await cache.GetOrSetAsync(cache.Keys.For("results", i), _ => Task.FromResult(payload), CacheDuration.Short);
        }

        await Eventually.TrueAsync(() => Task.FromResult(cache.GetStatistics().L1Evictions > 0), TimeSpan.FromSeconds(20), "evictions are reported");
        var statistics = cache.GetStatistics();
        Assert.Equal(budget, statistics.L1SizeLimit);
        Assert.InRange(statistics.L1Size, 1, budget);
        Assert.True(statistics.L1Entries < 320 / 5, $"{statistics.L1Entries} entries kept");

        // Evicted from memory is not lost: Redis still answers.
        Assert.Equal(payload, await cache.GetAsync<string>(cache.Keys.For("results", 0)));
    }

    [Fact]
    public async Task LeaderboardsKeepOnlyTheirBestMembers()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace(), o => o.LeaderboardMaxMembers = 10);
        var cache = instance.Api;
        var primitives = instance.Redis;
        var board = cache.Keys.For("board", "popular");
        await primitives.LeaderboardIncrementAsync(board, "favourite", 100);

        for (var i = 0; i < 200; i++)
        {
            await primitives.LeaderboardIncrementAsync(board, "junk-" + i);
        }

        foreach (var window in new[] { LeaderboardWindow.AllTime, LeaderboardWindow.Hour, LeaderboardWindow.Day, LeaderboardWindow.Week })
        {
            var top = await primitives.LeaderboardTopAsync(board, 1000, window);
            Assert.Equal(10, top.Count);
            Assert.Equal("favourite", top[0].Member);
        }
    }
}
