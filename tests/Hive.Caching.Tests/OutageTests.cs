using Hive.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Hive.Caching.Tests;

/// <summary>Takes its own redis-server away mid-test, so the shared one stays up for the other classes.</summary>
public sealed class OutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly LocalServer _server = Servers.Redis();

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    /// <summary>Stops this class's Redis and waits until every given client has noticed.</summary>
    private async Task StopRedisAsync(params CacheInstance[] clients)
    {
        await _server.StopAsync();
        await Eventually.TrueAsync(() => Task.FromResult(clients.All(c => !c.Connection.IsConnected)), Deadline, "the clients see Redis gone");
    }

    [Fact]
    public async Task WhenRedisStopsReadsFallBackWritesDoNotThrowAndItRecoversWhenRedisReturns()
    {
        await using var instance = await CacheInstance.CreateAsync(
            Servers.RedisConfiguration(_server),
            CacheInstance.NewNamespace(),
            o =>
            {
                o.CircuitBreakerDuration = TimeSpan.FromMilliseconds(500);
                o.FailSafeThrottleDuration = TimeSpan.FromMilliseconds(200);
            });
        var cache = instance.Api;
        var primitives = instance.Redis;
        var cached = cache.Keys.For("product", 1);
        var expiring = cache.Keys.For("product", 2);
        var cold = cache.Keys.For("product", 3);

        await cache.SetAsync(cached, "kept");
        Assert.Equal("old", await cache.GetOrSetAsync(expiring, _ => Task.FromResult("old"), TimeSpan.FromMilliseconds(200)));

        var health = new HiveCacheHealthCheck(cache);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);

        await _server.StopAsync();

        // Memory still answers.
        Assert.Equal("kept", await cache.GetAsync<string>(cached));

        // Writes and removes do not throw.
        await cache.SetAsync(cache.Keys.For("product", 4), "written-while-down");
        await cache.RemoveAsync(cache.Keys.For("product", 5));
        await cache.SetManyAsync(new Dictionary<CacheKey, string> { [cache.Keys.For("product", 6)] = "x" });
        await cache.InvalidateTagAsync(cache.Keys.Tag("product", 9));

        // A cold key goes to the factory.
        Assert.Equal("from-db", await cache.GetOrSetAsync(cold, _ => Task.FromResult("from-db")));
        Assert.Equal(2, (await cache.GetManyAsync<string>([cached, cold, cache.Keys.For("product", 99)])).Count);

        // An expired entry whose refresh fails is served from fail-safe (the last good value).
        await Eventually.TrueAsync(
            async () => await cache.GetOrSetAsync<string>(expiring, _ => throw new InvalidOperationException("database down too"), TimeSpan.FromMilliseconds(200)) == "old",
            Deadline,
            "fail-safe serves the last good value");

        // The Redis-only helpers say clearly what happened.
        await Assert.ThrowsAsync<LockUnavailableException>(async () => await primitives.AcquireLockAsync(cache.Keys.For("job", "x"), TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<CacheUnavailableException>(async () => await primitives.IncrementAsync(cache.Keys.For("views", 1)));
        var limited = await primitives.CheckRateLimitAsync(cache.Keys.For("api", "1"), 1, TimeSpan.FromMinutes(1));
        Assert.True(limited.IsFallback);
        Assert.True(limited.Allowed);
        Assert.False((await primitives.CheckRateLimitAsync(cache.Keys.For("api", "1"), 1, TimeSpan.FromMinutes(1))).Allowed);
        Assert.True(cache.GetStatistics().Errors > 0);

        // The service is degraded, not down: it still answers from memory and factories.
        var degraded = await health.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal((HealthStatus.Degraded, $"Cache '{cache.Namespace}' is serving without Redis (circuit open)."), (degraded.Status, degraded.Description));

        await _server.StartAsync();

        var recovered = cache.Keys.For("product", 7);
        await Eventually.TrueAsync(
            async () =>
            {
                await cache.SetAsync(recovered, "back");
                return await instance.Connection.GetDatabase().KeyExistsAsync($"{cache.Namespace}:{recovered.Local}");
            },
            Deadline,
            "writes reach Redis again");
        await Eventually.TrueAsync(
            async () => !(await primitives.CheckRateLimitAsync(cache.Keys.For("api", "2"), 5, TimeSpan.FromMinutes(1))).IsFallback,
            Deadline,
            "rate limiting uses Redis again");
        await using var lease = await primitives.AcquireLockAsync(cache.Keys.For("job", "x"), TimeSpan.FromSeconds(5));
        Assert.NotNull(lease);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task ALockHeldWhenRedisGoesCannotBeExtendedAndLettingItGoDoesNotThrow()
    {
        await using var instance = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), CacheInstance.NewNamespace());
        var lease = await instance.Redis.AcquireLockAsync(instance.Api.Keys.For("job", "nightly"), TimeSpan.FromSeconds(30));
        Assert.NotNull(lease);
        Assert.True(await lease.ExtendAsync(TimeSpan.FromSeconds(30)));

        await _server.StopAsync();
        try
        {
            // The holder must learn it can no longer vouch for the lock, not be told it still holds it.
            var extend = await Assert.ThrowsAsync<LockUnavailableException>(async () => await lease.ExtendAsync(TimeSpan.FromSeconds(30)));
            var release = await Assert.ThrowsAsync<LockUnavailableException>(async () => await lease.ReleaseAsync());
            Assert.Equal($"Could not reach Redis to extend lock '{lease.Key}'.", extend.Message);
            Assert.Equal($"Could not reach Redis to release lock '{lease.Key}'.", release.Message);
            // Disposal (the end of an await using) never throws: the TTL frees the lock when Redis returns.
            await lease.DisposeAsync();
        }
        finally
        {
            await _server.StartAsync();
        }
    }

    [Fact]
    public async Task FailClosedDeniesAndFailOpenAllowsWhileRedisIsDown()
    {
        var ns = CacheInstance.NewNamespace();
        await using var closed = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), ns, o => o.RateLimitFailureMode = RateLimitFailureMode.FailClosed);
        await using var open = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), ns, o => o.RateLimitFailureMode = RateLimitFailureMode.FailOpen);
        var key = closed.Api.Keys.For("api", "1");

        await _server.StopAsync();
        try
        {
            var window = TimeSpan.FromMinutes(1);
            var before = DateTimeOffset.UtcNow;
            var denied = await closed.Redis.CheckRateLimitAsync(key, 10, window);
            Assert.False(denied.Allowed);
            Assert.True(denied.IsFallback);
            Assert.Equal((0, window), (denied.Remaining, denied.RetryAfter));
            Assert.InRange(denied.ResetAt, before + window, DateTimeOffset.UtcNow + window);

            // Open: every call passes, each told it has all but one call of the window left and nothing to wait for.
            for (var i = 0; i < 3; i++)
            {
                var allowed = await open.Redis.CheckRateLimitAsync(key, 5, window);
                Assert.True(allowed.Allowed);
                Assert.True(allowed.IsFallback);
                Assert.Equal((4, TimeSpan.Zero), (allowed.Remaining, allowed.RetryAfter));
                Assert.InRange(allowed.ResetAt, before + window, DateTimeOffset.UtcNow + window);
            }
        }
        finally
        {
            await _server.StartAsync();
        }
    }

    [Fact]
    public async Task WhileRedisIsAwayEachCallThatNeededItIsCountedAsAnErrorOfItsKind()
    {
        var ns = CacheInstance.NewNamespace();
        var errors = new List<string>();
        using var listener = StatisticsTests.OperationsOf<long>("hive.cache.errors", ns, errors);
        await using var instance = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), ns);
        var cache = instance.Api;

        // Two more replicas, whose first call while Redis is away is a read and a removal: FusionCache's breaker
        // keeps a replica off Redis after its first failure, so each kind needs a replica of its own.
        await using var reading = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), ns);
        await using var removing = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), ns);
        await StopRedisAsync(instance, reading, removing);

        Assert.False((await reading.Api.TryGetAsync<string>(cache.Keys.For("product", 7))).HasValue);
        await removing.Api.RemoveAsync(cache.Keys.For("product", 7));

        await cache.SetAsync(cache.Keys.For("product", 1), "written-while-down");
        await cache.InvalidateTagAsync(cache.Keys.Tag("product", 2));
        Assert.Equal("from-db", await cache.GetOrSetAsync(cache.Keys.For("product", 3), _ => Task.FromResult("from-db"), tags: [cache.Keys.Tag("product", 3)]));

        // A batch read finds nothing and says why once; for the breaker's duration later ones do not try.
        Assert.Empty(await cache.GetManyAsync<string>([cache.Keys.For("product", 4), cache.Keys.For("product", 5)]));
        Assert.Empty(await cache.GetManyAsync<string>([cache.Keys.For("product", 6)]));

        // The Redis primitives say Redis is away (the rate limiter falls back to counting in this process).
        var primitives = instance.Redis;
        var board = cache.Keys.For("board", "popular");
        Assert.True((await primitives.CheckRateLimitAsync(cache.Keys.For("api", "1"), 5, TimeSpan.FromMinutes(1))).IsFallback);
        await Assert.ThrowsAsync<CacheUnavailableException>(async () => await primitives.IncrementAsync(cache.Keys.For("counted", "1")));
        await Assert.ThrowsAsync<CacheUnavailableException>(async () => await primitives.LeaderboardAddAsync(board, "unga", 1));
        await Assert.ThrowsAsync<CacheUnavailableException>(async () => await primitives.LeaderboardIncrementAsync(board, "unga"));
        await Assert.ThrowsAsync<CacheUnavailableException>(async () => await primitives.LeaderboardTopAsync(board, 5));
        await Assert.ThrowsAsync<LockUnavailableException>(async () => await primitives.AcquireLockAsync(cache.Keys.For("job", "1"), TimeSpan.FromSeconds(5)));

        string[] seen;
        lock (errors)
        {
            seen = [.. errors];
        }

        Assert.Equal(seen.Length, cache.GetStatistics().Errors + reading.Api.GetStatistics().Errors + removing.Api.GetStatistics().Errors);
        Assert.Equal((1, 1), (reading.Api.GetStatistics().Errors, removing.Api.GetStatistics().Errors));
        Assert.Single(seen, kind => kind == "l2.mget");
        Assert.Equal(
            ["generation.read", "generation.write", "increment", "l2.get", "l2.mget", "l2.remove", "l2.set", "leaderboard_add", "leaderboard_increment", "leaderboard_top", "lock", "rate_limit"],
            seen.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AFillWhoseRedisGoesAwayDuringItsQueryStillAnswersAndKeepsTheValueInMemory()
    {
        var ns = CacheInstance.NewNamespace();
        var errors = new List<string>();
        using var listener = StatisticsTests.OperationsOf<long>("hive.cache.errors", ns, errors);
        await using var instance = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), ns);
        var cache = instance.Api;
        var key = cache.Keys.For("product", 1);

        // The fill noted the write generation; Redis stops while the database answers.
        var value = await cache.GetOrSetAsync(
            key,
            async _ =>
            {
                await StopRedisAsync(instance);
                return "from-db";
            },
            tags: [cache.Keys.Tag("product", 1)]);

        Assert.Equal("from-db", value);
        Assert.Equal("from-db", (await cache.TryGetAsync<string>(key)).Value);
        lock (errors)
        {
            Assert.Contains("generation.read", errors);
        }
    }

    [Fact]
    public async Task WhileRedisIsAwayTheVersionLedgerLetsEveryEventEvictAndEveryReadServeWhatPostgresReturned()
    {
        await using var instance = await CacheInstance.CreateAsync(Servers.RedisConfiguration(_server), CacheInstance.NewNamespace());
        var options = Options.Create(new HiveCacheOptions { Namespace = instance.Api.Namespace });
        var ledger = new ProductVersionLedger(new CoordinationRedis(instance.Connection, new ConfigurationBuilder().Build(), options), instance.Api, options);
        Assert.True(await ledger.AdvanceAsync(42, 5, CancellationToken.None));
        Assert.Equal(5, await ledger.FloorAsync(42));

        await StopRedisAsync(instance);

        // An older version too: without the ledger nobody can tell, and evicting again is harmless.
        Assert.True(await ledger.AdvanceAsync(42, 3, CancellationToken.None));
        Assert.Equal(0, await ledger.FloorAsync(42));
        await ledger.RewindAsync(42, 5, CancellationToken.None);
    }
}
