using System.Diagnostics;
using Hive.Testing;
using StackExchange.Redis;

namespace Hive.Caching.Tests;

/// <summary>
/// Hive.Caching on Redis Cluster (deploy/SCALE-OUT.md: the cache shards at 100× load). A single-node cluster
/// enforces the one rule that matters: every key of one command or script must hash to the same slot, so
/// a script over keys of two slots fails here with CROSSSLOT exactly as it would on many shards.
/// </summary>
public sealed class RedisClusterTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"hive-test-redis-cluster-{Guid.NewGuid():N}");
    private readonly int _port = LocalServer.FreePort();
    private Process? _server;

    private string Configuration => $"127.0.0.1:{_port},abortConnect=false,connectTimeout=2000";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _server = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
             "--save", "", "--appendonly", "no", "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(_directory, "nodes.conf")])
        {
            RedirectStandardOutput = true,
        })!;
        _ = _server.StandardOutput.ReadToEndAsync();

        await using var admin = await Eventually.SucceedsAsync(
            async () => await ConnectionMultiplexer.ConnectAsync(Configuration + ",allowAdmin=true"),
            c => c.IsConnected, TimeSpan.FromSeconds(30), "the cluster-mode redis-server accepts connections");
        await admin.GetServers()[0].ExecuteAsync("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
        await Eventually.TrueAsync(
            async () => ((string?)await admin.GetServers()[0].ExecuteAsync("CLUSTER", "INFO"))!.Contains("cluster_state:ok", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the one-node cluster owns every slot");
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TheClusterRefusesAScriptOverKeysOfTwoSlots()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
        Assert.Contains(connection.GetServers(), s => s.ServerType == ServerType.Cluster);

        // The client refuses before sending (it knows the slots); the server would answer CROSSSLOT.
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            connection.GetDatabase().ScriptEvaluateAsync("return redis.call('MSET', KEYS[1], 1, KEYS[2], 2)", ["a", "b"]));
        Assert.Contains("slot", error.Message, StringComparison.OrdinalIgnoreCase);
        var server = await Assert.ThrowsAsync<RedisServerException>(() => connection.GetServers()[0].ExecuteAsync("MSET", "a", "1", "b", "2"));
        Assert.Contains("CROSSSLOT", server.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocksWithTheirFencingCountersWorkOnACluster()
    {
        var ns = CacheInstance.NewNamespace();
        await using var a = await CacheInstance.CreateAsync(Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(Configuration, ns);
        var key = a.Api.Keys.For("job", "refresh-views");

        var first = await a.Redis.AcquireLockAsync(key, TimeSpan.FromSeconds(30));
        Assert.NotNull(first);
        Assert.Null(await b.Redis.AcquireLockAsync(key, TimeSpan.FromSeconds(30)));
        Assert.True(await first.ReleaseAsync());
        await using var second = await b.Redis.AcquireLockAsync(key, TimeSpan.FromSeconds(30));
        Assert.True(second!.FencingToken > first.FencingToken);
    }

    [Fact]
    public async Task LeaderboardWindowsWorkOnACluster()
    {
        await using var instance = await CacheInstance.CreateAsync(Configuration, CacheInstance.NewNamespace());
        var board = instance.Api.Keys.For("trending", "products");

        await instance.Redis.LeaderboardIncrementAsync(board, "lamp", 3);
        await instance.Redis.LeaderboardIncrementAsync(board, "chair", 5);

        Assert.Equal(["chair", "lamp"], (await instance.Redis.LeaderboardTopAsync(board, 10, LeaderboardWindow.Hour)).Select(e => e.Member));
        Assert.Equal(["chair", "lamp"], (await instance.Redis.LeaderboardTopAsync(board, 10, LeaderboardWindow.Week)).Select(e => e.Member));
    }

    [Fact]
    public async Task ManyEntriesAcrossSlotsAreWrittenAndReadBackThroughRedisOnACluster()
    {
        var ns = CacheInstance.NewNamespace();
        await using var writer = await CacheInstance.CreateAsync(Configuration, ns);
        await using var reader = await CacheInstance.CreateAsync(Configuration, ns);
        var entries = Enumerable.Range(1, 40).ToDictionary(i => writer.Api.Keys.For("product", i), i => $"p{i}");
        Assert.True(entries.Keys.Select(k => writer.Connection.HashSlot($"{ns}:{k.Local}")).Distinct().Count() > 10, "the keys should spread over slots");

        await writer.Api.SetManyAsync(entries, CacheDuration.Short);
        // A second instance has an empty memory cache: every value comes from Redis.
        var values = await reader.Api.GetManyAsync<string>(entries.Keys);

        Assert.Equal(40, values.Count);
        Assert.Equal("p17", values[writer.Api.Keys.For("product", 17)]);
        Assert.Equal(0, reader.Cache.GetStatistics().Errors);
    }

    [Fact]
    public async Task TagInvalidationWorksOnACluster()
    {
        var ns = CacheInstance.NewNamespace();
        await using var instance = await CacheInstance.CreateAsync(Configuration, ns);
        var cache = instance.Api;
        var tag = cache.Keys.Tag("business", 7);
        var key = cache.Keys.For("product", 1);
        await cache.SetAsync(key, "v1", CacheDuration.Short, [tag]);

        await cache.InvalidateTagAsync(tag);
        var fills = 0;
        var value = await cache.GetOrSetAsync(key, _ => { fills++; return Task.FromResult("v2"); }, CacheDuration.Short, [tag]);

        Assert.Equal(("v2", 1), (value, fills));
        Assert.Equal(0, instance.Cache.GetStatistics().Errors);
    }
}
