using Hive.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hive.Caching.Tests;

/// <summary>
/// What a service gets for a call it got wrong: an <see cref="ArgumentException"/> that names the parameter, at
/// the call, and nothing written to Redis. A key of another namespace matters most: the cache would otherwise
/// count, lock or rank inside another service's space.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ArgumentRuleTests(RedisFixture redis)
{
    private static async Task RefusedAsync(string parameter, Func<Task> call)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(call);
        Assert.Equal(parameter, error.ParamName);
    }

    private static Task<IReadOnlyDictionary<CacheKey, string>> Loaded(IReadOnlyList<CacheKey> missing, CancellationToken _)
        => Task.FromResult<IReadOnlyDictionary<CacheKey, string>>(missing.ToDictionary(k => k, _ => "loaded"));

    [Fact]
    public async Task EveryCallRefusesAnEmptyKeyOrOneOfAnotherNamespaceNamingItsParameterAndWritesNothing()
    {
        var ns = CacheInstance.NewNamespace();
        var other = CacheInstance.NewNamespace();
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var cache = instance.Api;
        var primitives = instance.Redis;

        foreach (var bad in new[] { default, new CacheKeyBuilder(other).For("product", 1) })
        {
            await RefusedAsync("key", () => primitives.CheckRateLimitAsync(bad, 5, TimeSpan.FromMinutes(1)).AsTask());
            await RefusedAsync("key", () => primitives.AcquireLockAsync(bad, TimeSpan.FromSeconds(5)).AsTask());
            await RefusedAsync("key", () => primitives.IncrementAsync(bad).AsTask());
            await RefusedAsync("board", () => primitives.LeaderboardAddAsync(bad, "m", 1).AsTask());
            await RefusedAsync("board", () => primitives.LeaderboardIncrementAsync(bad, "m").AsTask());
            await RefusedAsync("board", () => primitives.LeaderboardTopAsync(bad, 5).AsTask());
            await RefusedAsync("key", () => cache.RemoveAsync(bad).AsTask());
            await RefusedAsync("keys", () => cache.GetManyAsync<string>([cache.Keys.For("product", 2), bad]).AsTask());
            await RefusedAsync("entries", () => cache.SetManyAsync([new KeyValuePair<CacheKey, string>(cache.Keys.For("product", 2), "x"), new(bad, "x")]).AsTask());
            await RefusedAsync("keys", () => cache.GetOrSetManyAsync<string>([bad], Loaded).AsTask());
        }

        var board = cache.Keys.For("board", "sellers");
        await RefusedAsync("member", () => primitives.LeaderboardIncrementAsync(board, "").AsTask());
        await RefusedAsync("by", () => primitives.LeaderboardIncrementAsync(board, "m", double.PositiveInfinity).AsTask());
        await RefusedAsync("score", () => primitives.LeaderboardAddAsync(board, "m", double.NegativeInfinity).AsTask());
        await RefusedAsync("count", () => primitives.LeaderboardTopAsync(board, -1).AsTask());
        await RefusedAsync("ttl", () => primitives.IncrementAsync(cache.Keys.For("counter", 1), 1, TimeSpan.Zero).AsTask());
        await RefusedAsync("tags", () => cache.SetManyAsync([new KeyValuePair<CacheKey, string>(cache.Keys.For("product", 3), "x")], tags: [default]).AsTask());
        await RefusedAsync("entries", () => cache.SetManyAsync<string>(null!).AsTask());
        await RefusedAsync("keys", () => cache.GetManyAsync<string>(null!).AsTask());
        await RefusedAsync("keys", () => cache.GetOrSetManyAsync<string>(null!, Loaded).AsTask());

        // Nothing of those calls reached Redis: neither under the other namespace nor as an empty helper key of this one.
        var server = instance.Connection.GetServers().Single();
        Assert.Empty(server.Keys(pattern: $"*{other}*"));
        Assert.Empty(server.Keys(pattern: "*{}*"));
        Assert.False((await cache.TryGetAsync<string>(cache.Keys.For("product", 2))).HasValue, "a batch with one bad key writes none of its entries");
        Assert.False((await cache.TryGetAsync<string>(cache.Keys.For("product", 3))).HasValue);
    }

    [Fact]
    public async Task ABatchFillWithoutAFactoryIsRefusedEvenWhenEveryKeyIsCached()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        CacheKey[] keys = [cache.Keys.For("product", 1), cache.Keys.For("product", 2)];
        await cache.SetManyAsync(keys.Select(k => new KeyValuePair<CacheKey, string>(k, "cached")));

        await RefusedAsync("factory", () => cache.GetOrSetManyAsync<string>(keys, null!).AsTask());
        await RefusedAsync("factory", () => cache.GetOrSetManyAsync<string>([cache.Keys.For("product", 3)], null!).AsTask());
    }

    [Fact]
    public async Task ACacheIsNotMadeWithoutItsConnectionOptionsAndLoggingNorForANamespaceKeysCannotCarry()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var logging = NullLoggerFactory.Instance;
        var options = new HiveCacheOptions { Namespace = CacheInstance.NewNamespace() };

        Assert.Equal("connection", Assert.Throws<ArgumentNullException>(() => new HiveCache(null!, options, logging)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new HiveCache(connection, null!, logging)).ParamName);
        Assert.Equal("loggerFactory", Assert.Throws<ArgumentNullException>(() => new HiveCache(connection, options, null!)).ParamName);
        foreach (var name in new[] { "", "Catalog", "search api", "9lives" })
        {
            var error = Assert.ThrowsAny<ArgumentException>(() => new HiveCache(connection, new HiveCacheOptions { Namespace = name }, logging));
            Assert.Equal("options", error.ParamName);
        }

        // A namespace nobody set is no namespace: it is refused, not given a made-up name.
        Assert.Equal("options", Assert.ThrowsAny<ArgumentException>(() => new HiveCache(connection, new HiveCacheOptions(), logging)).ParamName);
    }

    [Fact]
    public async Task TheLibrarysEntryPointsRefuseAMissingPartNamingIt()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var configuration = new ConfigurationBuilder().Build();
        var options = Options.Create(new HiveCacheOptions { Namespace = "entry" });

        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((IHostApplicationBuilder)null!).AddHiveCaching("catalog")).ParamName);
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddHiveCaching("catalog")).ParamName);
        Assert.Equal("namespace", Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddHiveCaching("Not A Namespace")).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => HiveRedis.Configure(null!)).ParamName);
        Assert.Equal("cacheRedis", Assert.Throws<ArgumentNullException>(() => new CoordinationRedis(null!, configuration, options)).ParamName);
        Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => new CoordinationRedis(connection, null!, options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new CoordinationRedis(connection, configuration, null!)).ParamName);
    }
}
