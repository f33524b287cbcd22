using Hive.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Hive.Caching.Tests;

/// <summary>
/// Locks, fences, write generations and boards live on a Redis that never evicts; filling the cache
/// Redis past its memory limit evicts cache entries only.
/// </summary>
public sealed class CoordinationTests : IAsyncLifetime
{
    private readonly LocalServer _cacheServer = Servers.Redis("cache");
    private readonly LocalServer _coordinationServer = Servers.Redis("coordination");

    public Task InitializeAsync() => Task.WhenAll(_cacheServer.StartAsync(), _coordinationServer.StartAsync());

    public async Task DisposeAsync()
    {
        await _cacheServer.DisposeAsync();
        await _coordinationServer.DisposeAsync();
    }

    [Fact]
    public async Task CacheMemoryPressureEvictsEntriesButNeverLocksOrBoards()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(Servers.RedisConfiguration(_cacheServer) + ",allowAdmin=true");
        await using var coordinationAdmin = await ConnectionMultiplexer.ConnectAsync(Servers.RedisConfiguration(_coordinationServer) + ",allowAdmin=true");
        var cacheRedis = admin.GetServer(admin.GetEndPoints()[0]);
        var coordinationRedis = coordinationAdmin.GetServer(coordinationAdmin.GetEndPoints()[0]);
        Assert.Equal("noeviction", (await coordinationRedis.ConfigGetAsync("maxmemory-policy")).Single().Value);
        Assert.Equal("allkeys-lru", (await cacheRedis.ConfigGetAsync("maxmemory-policy")).Single().Value);

        // A small cache server, so a test can fill it.
        await cacheRedis.ConfigSetAsync("maxmemory", "4mb");
        await using var instance = await CacheInstance.CreateAsync(
            Servers.RedisConfiguration(_cacheServer), CacheInstance.NewNamespace(), coordination: coordinationAdmin);
        var cache = instance.Api;
        var primitives = instance.Redis;
        await using var held = await primitives.AcquireLockAsync(cache.Keys.For("job", "refresh"), TimeSpan.FromMinutes(5));
        Assert.NotNull(held);
        await primitives.LeaderboardIncrementAsync(cache.Keys.For("board", "popular"), "maasai shuka", 5);

        var payload = new string('x', 4096);
        for (var i = 0; i < 3000; i++)
        {
            await cache.SetAsync(cache.Keys.For("product", i), payload, CacheDuration.Long);
        }

        var evicted = (await cacheRedis.InfoAsync("stats")).SelectMany(g => g).Single(p => p.Key == "evicted_keys").Value;
        Assert.True(long.Parse(evicted, System.Globalization.CultureInfo.InvariantCulture) > 0, "the cache server evicted entries");

        Assert.Null(await primitives.AcquireLockAsync(cache.Keys.For("job", "refresh"), TimeSpan.FromMinutes(5)));
        Assert.True(await held!.ExtendAsync(TimeSpan.FromMinutes(5)));
        Assert.Equal(5, (await primitives.LeaderboardTopAsync(cache.Keys.For("board", "popular"), 1)).Single().Score);
        Assert.False(await admin.GetDatabase().KeyExistsAsync($"{cache.Namespace}:~lock:{{job:refresh}}"), "the lock is not on the cache server");
    }

    [Fact]
    public async Task AServiceNamingACoordinationRedisKeepsItsCountersThereAndItsEntriesInTheCacheRedis()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:redis-coordination"] = Servers.RedisConfiguration(_coordinationServer);
        builder.Services.AddSingleton<IConnectionMultiplexer>(await ConnectionMultiplexer.ConnectAsync(Servers.RedisConfiguration(_cacheServer)));
        builder.AddHiveCaching("coorddi");
        using var host = builder.Build();
        await host.StartAsync();
        var cache = host.Services.GetRequiredService<IHiveCache>();
        await using var cacheRedis = await ConnectionMultiplexer.ConnectAsync(Servers.RedisConfiguration(_cacheServer));
        await using var coordinationRedis = await ConnectionMultiplexer.ConnectAsync(Servers.RedisConfiguration(_coordinationServer));

        await cache.SetAsync(cache.Keys.For("product", 1), "entry");
        Assert.Equal(1, await host.Services.GetRequiredService<IRedisPrimitives>().IncrementAsync(cache.Keys.For("views", 1)));

        Assert.True(host.Services.GetRequiredService<CoordinationRedis>().IsSeparate);
        Assert.True(await cacheRedis.GetDatabase().KeyExistsAsync("coorddi:product:1"));
        Assert.False(await coordinationRedis.GetDatabase().KeyExistsAsync("coorddi:product:1"));
        Assert.True(await coordinationRedis.GetDatabase().KeyExistsAsync("coorddi:~ctr:{views:1}"));
        Assert.False(await cacheRedis.GetDatabase().KeyExistsAsync("coorddi:~ctr:{views:1}"));
        await host.StopAsync();
    }

    [Fact]
    public async Task ACoordinationRedisThatIsNotUpYetDoesNotStopTheServiceAndItsCallsSayRedisIsAway()
    {
        // The cache Redis is up; the coordination one is still starting (nothing listens on its port yet).
        using var closed = new ClosedPort();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:redis-coordination"] = $"127.0.0.1:{closed.Port},connectTimeout=500";
        builder.Services.AddSingleton<IConnectionMultiplexer>(await ConnectionMultiplexer.ConnectAsync(Servers.RedisConfiguration(_cacheServer)));
        builder.AddHiveCaching("coordlate");
        using var host = builder.Build();
        await host.StartAsync();

        var coordination = host.Services.GetRequiredService<CoordinationRedis>();
        Assert.True(coordination.IsSeparate);
        Assert.False(coordination.Connection.IsConnected);
        var cache = host.Services.GetRequiredService<IHiveCache>();
        var primitives = host.Services.GetRequiredService<IRedisPrimitives>();
        await Assert.ThrowsAsync<CacheUnavailableException>(async () => await primitives.IncrementAsync(cache.Keys.For("views", 1)));
        await Assert.ThrowsAsync<LockUnavailableException>(async () => await primitives.AcquireLockAsync(cache.Keys.For("job", 1), TimeSpan.FromSeconds(5)));

        // Entries still go to the cache Redis.
        await cache.SetAsync(cache.Keys.For("product", 1), "entry");
        await using var cacheRedis = await ConnectionMultiplexer.ConnectAsync(Servers.RedisConfiguration(_cacheServer));
        Assert.True(await cacheRedis.GetDatabase().KeyExistsAsync("coordlate:product:1"));
        await host.StopAsync();
    }

    [Fact]
    public async Task WithoutACoordinationConnectionStringTheCacheRedisHoldsCoordinationAndDisposingItLeavesTheServicesConnectionOpen()
    {
        await using var shared = await ConnectionMultiplexer.ConnectAsync(Servers.RedisConfiguration(_cacheServer));
        var options = Microsoft.Extensions.Options.Options.Create(new HiveCacheOptions { Namespace = "coordsame" });
        using (var coordination = new CoordinationRedis(shared, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), options))
        {
            Assert.False(coordination.IsSeparate);
            Assert.Same(shared, coordination.Connection);
        }

        // The cache's backplane holds the service's multiplexer too, and lets go of it without closing it.
        var cache = new HiveCache(shared, options.Value, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await cache.SetAsync(cache.Keys.For("product", 1), "entry");
        await cache.InvalidateTagAsync(cache.Keys.Tag("product", 1));
        var server = shared.GetServer(shared.GetEndPoints()[0]);
        async Task<int> BackplaneChannels() => ((RedisResult[])(await server.ExecuteAsync("PUBSUB", "CHANNELS", "*coordsame*"))!).Length;
        Assert.Equal(1, await BackplaneChannels());
        await cache.DisposeAsync();

        // The backplane lets go in the background: it unsubscribes, then drops its connection.
        await Eventually.TrueAsync(async () => await BackplaneChannels() == 0, TimeSpan.FromSeconds(10), "the backplane unsubscribed");
        await Task.Delay(300);
        Assert.True(shared.IsConnected);
        Assert.True(await shared.GetDatabase().KeyExistsAsync("coordsame:product:1"));
    }
}
