using Hive.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hive.Caching.Tests;

/// <summary>
/// Catalog reads the trending boards the metrics service writes: <see cref="LeaderboardReader"/> on a board of
/// another namespace, filled through that namespace's own <see cref="IRedisPrimitives"/>, on a real Redis.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class LeaderboardReaderTests(RedisFixture redis)
{
    private static LeaderboardReader ReaderOn(IConnectionMultiplexer connection) =>
        new(new CoordinationRedis(connection, new ConfigurationBuilder().Build(), Options.Create(new HiveCacheOptions { Namespace = "reader" })));

    [Fact]
    public async Task AnotherNamespacesBoardIsReadHighestFirstWithRanksInEachWindow()
    {
        await using var writer = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var board = writer.Api.Keys.For("trending", "score");
        await writer.Redis.LeaderboardIncrementAsync(board, "lamp", 1.5);
        await writer.Redis.LeaderboardIncrementAsync(board, "chair", 30);
        await writer.Redis.LeaderboardIncrementAsync(board, "desk", 20);
        await writer.Redis.LeaderboardIncrementAsync(board, "rug", 4);
        // A product that led long ago: still first of all time, in none of this hour's, day's or week's boards.
        await writer.Connection.GetDatabase().SortedSetAddAsync($"{board.Namespace}:~lb:{{{board.Local}}}:all", "ancient", 1000);
        var reader = ReaderOn(writer.Connection);

        Assert.Equal([new("ancient", 1000, 1), new("chair", 30, 2), new LeaderboardEntry("desk", 20, 3)], await reader.TopAsync(board, 3, LeaderboardWindow.AllTime));
        foreach (var window in new[] { LeaderboardWindow.Hour, LeaderboardWindow.Day, LeaderboardWindow.Week })
        {
            var top = await reader.TopAsync(board, 3, window);
            Assert.Equal([new("chair", 30, 1), new("desk", 20, 2), new LeaderboardEntry("rug", 4, 3)], top);
        }

        Assert.Equal(4, (await reader.TopAsync(board, 10, LeaderboardWindow.Day)).Count);
        Assert.Equal(1.5, (await reader.TopAsync(board, 4, LeaderboardWindow.Week))[3].Score);
        Assert.Empty(await reader.TopAsync(writer.Api.Keys.For("trending", "never-written"), 5, LeaderboardWindow.Week));
    }

    [Fact]
    public async Task TrimmingKeepsTheBestOfAllTimeAndSaysHowManyWent()
    {
        await using var writer = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var board = writer.Api.Keys.For("trending", "views");
        foreach (var (member, score) in new[] { ("a", 1.0), ("b", 2.0), ("c", 3.0), ("d", 4.0), ("e", 5.0) })
        {
            await writer.Redis.LeaderboardAddAsync(board, member, score);
        }

        var reader = ReaderOn(writer.Connection);

        Assert.Equal(3, await reader.TrimAllTimeAsync(board, 2));
        Assert.Equal(["e", "d"], (await reader.TopAsync(board, 10, LeaderboardWindow.AllTime)).Select(e => e.Member));
        Assert.Equal(0, await reader.TrimAllTimeAsync(board, 2));
        Assert.Equal(1, await reader.TrimAllTimeAsync(board, 1));
        Assert.Equal(["e"], (await reader.TopAsync(board, 10, LeaderboardWindow.AllTime)).Select(e => e.Member));
    }

    [Fact]
    public async Task AReadOfNoBoardNoCountOrAnUnknownWindowIsRefused()
    {
        await using var writer = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var reader = ReaderOn(writer.Connection);
        var board = writer.Api.Keys.For("trending", "score");

        await Assert.ThrowsAsync<ArgumentException>(() => reader.TopAsync(default, 5, LeaderboardWindow.AllTime));
        await Assert.ThrowsAsync<ArgumentException>(() => reader.TrimAllTimeAsync(default, 5));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.TopAsync(board, 0, LeaderboardWindow.AllTime));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.TrimAllTimeAsync(board, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.TopAsync(board, 5, (LeaderboardWindow)42));
    }

    [Fact]
    public async Task ABoardOnARedisThatIsAwayIsUnavailableNotAnError()
    {
        using var closed = new ClosedPort();
        await using var away = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{closed.Port},abortConnect=false,connectTimeout=200");
        var reader = ReaderOn(away);
        var board = new CacheKeyBuilder("metrics").For("trending", "score");

        var read = await Assert.ThrowsAsync<CacheUnavailableException>(() => reader.TopAsync(board, 5, LeaderboardWindow.Day));
        Assert.Contains("metrics:trending:score", read.Message, StringComparison.Ordinal);
        var trim = await Assert.ThrowsAsync<CacheUnavailableException>(() => reader.TrimAllTimeAsync(board, 5));
        Assert.Contains("trim", trim.Message, StringComparison.Ordinal);
    }
}
