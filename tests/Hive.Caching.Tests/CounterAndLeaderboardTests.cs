using Hive.Testing;

namespace Hive.Caching.Tests;

[Collection(RedisCollection.Name)]
public sealed class CounterAndLeaderboardTests(RedisFixture redis)
{
    [Fact]
    public async Task IncrementIsAtomicAcrossInstances()
    {
        var ns = CacheInstance.NewNamespace();
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("views", 1);

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? a.Redis : b.Redis).IncrementAsync(key).AsTask()));

        Assert.Equal(105, await a.Redis.IncrementAsync(key, 5, TimeSpan.FromMinutes(1)));
        var ttl = await a.Connection.GetDatabase().KeyTimeToLiveAsync($"{ns}:~ctr:{{views:1}}");
        Assert.NotNull(ttl);
    }

    [Fact]
    public async Task TopReturnsTheHighestScoresInOrderWithRanks()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var primitives = instance.Redis;
        var board = cache.Keys.For("trending", "products");

        await primitives.LeaderboardAddAsync(board, "lamp", 10);
        await primitives.LeaderboardAddAsync(board, "chair", 30);
        await primitives.LeaderboardAddAsync(board, "desk", 20);
        Assert.Equal(15, await primitives.LeaderboardIncrementAsync(board, "lamp", 5));
        await primitives.LeaderboardIncrementAsync(board, "rug:with*odd\nname");

        var top = await primitives.LeaderboardTopAsync(board, 3);
        Assert.Equal(["chair", "desk", "lamp"], top.Select(e => e.Member));
        Assert.Equal([30d, 20d, 15d], top.Select(e => e.Score));
        Assert.Equal([1, 2, 3], top.Select(e => e.Rank));
        Assert.Equal(4, (await primitives.LeaderboardTopAsync(board, 10)).Count);
    }

    [Fact]
    public async Task WindowedBoardsCountOnlyTheirCurrentBucket()
    {
        var ns = CacheInstance.NewNamespace();
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var cache = instance.Api;
        var primitives = instance.Redis;
        var board = cache.Keys.For("trending", "today");
        var db = instance.Connection.GetDatabase();

        // An old week bucket, as last week's writes would have left it, must not count this week.
        await primitives.LeaderboardIncrementAsync(board, "fresh", 3);
        await primitives.LeaderboardIncrementAsync(board, "fresh", 2);
        await db.SortedSetAddAsync($"{ns}:~lb:{{trending:today}}:w:1", "stale", 1000);
        await db.SortedSetAddAsync($"{ns}:~lb:{{trending:today}}:h:1", "stale", 1000);

        // And something counted only all-time (older than every window) shows only there.
        await db.SortedSetAddAsync($"{ns}:~lb:{{trending:today}}:all", "classic", 1000);

        foreach (var window in new[] { LeaderboardWindow.Hour, LeaderboardWindow.Day, LeaderboardWindow.Week })
        {
            var top = await primitives.LeaderboardTopAsync(board, 5, window);
            var entry = Assert.Single(top);
            Assert.Equal("fresh", entry.Member);
            Assert.Equal(5, entry.Score);
        }

        var allTime = await primitives.LeaderboardTopAsync(board, 5, LeaderboardWindow.AllTime);
        Assert.Equal([("classic", 1000d), ("fresh", 5d)], allTime.Select(e => (e.Member, e.Score)));

        // Buckets are keyed by Redis time and expire; the all-time set does not.
        var hourKeys = instance.Connection.GetServer(instance.Connection.GetEndPoints()[0]).Keys(pattern: $"{ns}:~lb:{{trending:today}}:h:*").ToList();
        Assert.Equal(2, hourKeys.Count);
        Assert.Null(await db.KeyTimeToLiveAsync($"{ns}:~lb:{{trending:today}}:all"));
    }
}
