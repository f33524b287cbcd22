using Hive.Testing;

namespace Hive.Caching.Tests;

/// <summary>Own redis-server, so command counts are not disturbed by other test classes.</summary>
public sealed class BatchTests : IAsyncLifetime
{
    private readonly LocalServer _server = Servers.Redis();

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task GetManyReadsTwentyColdKeysWithOneRedisRoundTrip()
    {
        var ns = CacheInstance.NewNamespace();
        await using var writer = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), ns);
        await using var reader = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), ns);
        var keys = Enumerable.Range(1, 20).Select(i => writer.Api.Keys.For("product", i)).ToList();
        foreach (var key in keys.Take(15))
        {
            await writer.Api.SetAsync(key, key.Local);
        }

        await using var stats = await RedisStats.ConnectAsync(Servers.RedisConfiguration(_server));
        var mgetBefore = await stats.CallsAsync("mget");
        var getBefore = await stats.CallsAsync("get");

        var values = await reader.Api.GetManyAsync<string>(keys);

        Assert.Equal(1, await stats.CallsAsync("mget") - mgetBefore);
        Assert.Equal(0, await stats.CallsAsync("get") - getBefore);
        Assert.Equal(15, values.Count);
        Assert.Equal("product:3", values[keys[2]]);

        // Now all in the reader's memory: no Redis read at all.
        var again = await reader.Api.GetManyAsync<string>(keys.Take(15));
        Assert.Equal(15, again.Count);
        Assert.Equal(1, await stats.CallsAsync("mget") - mgetBefore);
        Assert.Equal(0, await stats.CallsAsync("get") - getBefore);
    }

    [Fact]
    public async Task SetManyWritesAllEntriesWithOneRedisCall()
    {
        var ns = CacheInstance.NewNamespace();
        await using var writer = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), ns);
        await using var reader = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), ns);
        var entries = Enumerable.Range(1, 25).ToDictionary(i => writer.Api.Keys.For("product", i), i => $"p{i}");

        await using var stats = await RedisStats.ConnectAsync(Servers.RedisConfiguration(_server));
        var setBefore = await stats.CallsAsync("set");
        var evalBefore = await stats.CallsAsync("eval") + await stats.CallsAsync("evalsha");

        await writer.Api.SetManyAsync(entries, CacheDuration.Short);

        var evalAfter = await stats.CallsAsync("eval") + await stats.CallsAsync("evalsha");
        Assert.Equal(1, evalAfter - evalBefore);

        // Redis counts the SETs run inside the script too: all 25 came from that one call.
        Assert.Equal(25, await stats.CallsAsync("set") - setBefore);

        var values = await reader.Api.GetManyAsync<string>(entries.Keys);
        Assert.Equal(25, values.Count);
        Assert.Equal("p17", values[writer.Api.Keys.For("product", 17)]);
    }
}
