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
    public async Task BatchWritesAndBatchFillsAreChargedAtLeastWhatTheyHoldAgainstTheBudget()
    {
        // One options object sizes a whole batch; it must be sized by its largest value, wherever that comes in
        // the batch, or a flood of large pages would fit a budget they overflow.
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var large = new string('x', 20_000);
        const string small = "s";

        await cache.SetManyAsync([new(cache.Keys.For("page", 1), small), new(cache.Keys.For("page", 2), large), new KeyValuePair<CacheKey, string>(cache.Keys.For("page", 3), small)]);
        var afterWrite = cache.GetStatistics().L1Size;
        Assert.True(afterWrite >= large.Length, $"a batch holding {large.Length} characters was charged {afterWrite}");
        Assert.True(cache.GetStatistics().L1Entries >= 3, "the three entries are in memory");

        await cache.GetOrSetManyAsync<string>(
            [cache.Keys.For("row", 1), cache.Keys.For("row", 2)],
            (missing, _) => Task.FromResult<IReadOnlyDictionary<CacheKey, string>>(new Dictionary<CacheKey, string> { [missing[0]] = large, [missing[1]] = small }));
        var charged = cache.GetStatistics().L1Size - afterWrite;
        Assert.True(charged >= large.Length, $"a batch fill holding {large.Length} characters was charged {charged}");
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
