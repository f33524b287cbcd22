using Hive.Testing;

namespace Hive.Caching.Tests;

[Collection(RedisCollection.Name)]
public sealed class RateLimitTests(RedisFixture redis)
{
    [Fact]
    public async Task ExactlyTheLimitIsAllowedAcrossTwoInstancesUnderConcurrency()
    {
        var ns = CacheInstance.NewNamespace();
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("login", "user-1");
        const int limit = 50;

        var calls = Enumerable.Range(0, limit + 30)
            .Select(i => Task.Run(async () => await (i % 2 == 0 ? a.Redis : b.Redis).CheckRateLimitAsync(key, limit, TimeSpan.FromMinutes(1))))
            .ToArray();
        var results = await Task.WhenAll(calls);

        Assert.Equal(limit, results.Count(r => r.Allowed));
        Assert.All(results, r => Assert.False(r.IsFallback));
        var denied = results.Where(r => !r.Allowed).ToList();
        Assert.Equal(30, denied.Count);
        Assert.All(denied, r =>
        {
            Assert.Equal(0, r.Remaining);
            Assert.True(r.RetryAfter > TimeSpan.Zero && r.RetryAfter <= TimeSpan.FromMinutes(1));
        });
        Assert.Equal(Enumerable.Range(0, limit).Reverse().ToHashSet(), results.Where(r => r.Allowed).Select(r => r.Remaining).ToHashSet());
        Assert.All(results.Where(r => r.Allowed), r => Assert.Equal(TimeSpan.Zero, r.RetryAfter));
    }

    [Fact]
    public async Task TheWindowSlidesSoCallsAreAllowedAgainLater()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var key = instance.Api.Keys.For("api", "client-9");
        var window = TimeSpan.FromMilliseconds(400);

        Assert.True((await instance.Redis.CheckRateLimitAsync(key, 2, window)).Allowed);
        Assert.True((await instance.Redis.CheckRateLimitAsync(key, 2, window)).Allowed);
        var denied = await instance.Redis.CheckRateLimitAsync(key, 2, window);
        Assert.False(denied.Allowed);
        Assert.True(denied.ResetAt > DateTimeOffset.UnixEpoch);

        await Eventually.TrueAsync(async () => (await instance.Redis.CheckRateLimitAsync(key, 2, window)).Allowed, TimeSpan.FromSeconds(5), "the window slid");
    }

    [Fact]
    public async Task DifferentKeysHaveSeparateLimits()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var primitives = instance.Redis;
        Assert.True((await primitives.CheckRateLimitAsync(cache.Keys.For("api", "1"), 1, TimeSpan.FromMinutes(1))).Allowed);
        Assert.True((await primitives.CheckRateLimitAsync(cache.Keys.For("api", "10"), 1, TimeSpan.FromMinutes(1))).Allowed);
        Assert.False((await primitives.CheckRateLimitAsync(cache.Keys.For("api", "1"), 1, TimeSpan.FromMinutes(1))).Allowed);
    }

    [Fact]
    public async Task AHotKeyTakesLeasesSoRedisSeesFewCallsAndTheUnusedPermitsComeBack()
    {
        var ns = CacheInstance.NewNamespace();
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = instance.Api.Keys.For("api", "hot-client");
        const int calls = 2_000;

        var remaining = new List<int>();
        for (var i = 0; i < calls; i++)
        {
            var result = await instance.Redis.CheckRateLimitAsync(key, 1_000_000, TimeSpan.FromMinutes(1));
            Assert.True(result.Allowed);
            remaining.Add(result.Remaining);
        }

        // One replica alone: every decision counts down by one, leased or not.
        Assert.Equal(Enumerable.Range(1_000_000 - calls, calls).Reverse(), remaining);

        // Each Redis call leaves members under one lease id: far fewer calls than decisions, every decision backed by a permit.
        var window = WindowKey(ns, key);
        var members = (await instance.Connection.GetDatabase().SortedSetRangeByRankAsync(window)).Select(m => m.ToString()).ToList();
        var leases = members.Select(m => m[..m.IndexOf(':', StringComparison.Ordinal)]).Distinct().Count();
        Assert.InRange(leases, 1, calls / 20);
        Assert.InRange(members.Count, calls, calls + 63);

        // A lease's first permit is used at once; the others may be used up to a lifetime (250 ms) later, so they
        // count in the window from the lifetime's end: the window never forgets a permit before its use is a window old.
        var scored = await instance.Connection.GetDatabase().SortedSetRangeByRankWithScoresAsync(window);
        foreach (var lease in scored.GroupBy(e => e.Element.ToString()[..e.Element.ToString().IndexOf(':', StringComparison.Ordinal)]))
        {
            var first = lease.Single(e => e.Element.ToString().EndsWith(":0", StringComparison.Ordinal)).Score;
            Assert.All(lease.Where(e => !e.Element.ToString().EndsWith(":0", StringComparison.Ordinal)), e => Assert.Equal(first + 250, e.Score));
        }

        // The last lease's unused permits are given back once it expires.
        await Eventually.TrueAsync(
            async () => await instance.Connection.GetDatabase().SortedSetLengthAsync(window) == calls, TimeSpan.FromSeconds(5), "the unused permits were given back");
    }

    [Fact]
    public async Task LeasingReplicasTogetherNeverPassTheLimitAndGiveBackWhatTheyDidNotUse()
    {
        var ns = CacheInstance.NewNamespace();
        var instances = new List<CacheInstance>();
        for (var i = 0; i < 3; i++)
        {
            instances.Add(await CacheInstance.CreateAsync(redis.Configuration, ns));
        }

        try
        {
            var key = instances[0].Api.Keys.For("api", "shared-client");
            const int limit = 512;
            var allowed = 0;
            var refused = 0;

            // Four callers per replica, each until it is refused: leases are in flight on every replica at the end.
            await Task.WhenAll(instances.SelectMany(instance => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    var result = await instance.Redis.CheckRateLimitAsync(key, limit, TimeSpan.FromMinutes(1));
                    if (!result.Allowed)
                    {
                        Interlocked.Increment(ref refused);
                        Assert.Equal(0, result.Remaining);
                        Assert.True(result.RetryAfter > TimeSpan.Zero);
                        return;
                    }

                    Interlocked.Increment(ref allowed);
                }
            }))));

            // Never over the limit; short of it by at most the leases the other replicas held (a 64th of the limit each).
            Assert.InRange(allowed, limit - 3 * (limit / 64), limit);
            Assert.Equal(12, refused);

            // What was leased and not used goes back: the window holds exactly the permits used.
            var window = WindowKey(ns, key);
            await Eventually.TrueAsync(
                async () => await instances[0].Connection.GetDatabase().SortedSetLengthAsync(window) == allowed, TimeSpan.FromSeconds(5), "the unused permits were given back");

            // And whatever was given back can be spent again, exactly up to the limit.
            var more = 0;
            while ((await instances[1].Redis.CheckRateLimitAsync(key, limit, TimeSpan.FromMinutes(1))).Allowed)
            {
                more++;
            }

            await Eventually.TrueAsync(
                async () => await instances[0].Connection.GetDatabase().SortedSetLengthAsync(window) == limit, TimeSpan.FromSeconds(5), "the window holds the limit");
            Assert.Equal(limit, allowed + more);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task WithLeasingOffEveryDecisionIsOneRedisCall()
    {
        var ns = CacheInstance.NewNamespace();
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, ns, o => o.RateLimitLeaseMax = 1);
        var key = instance.Api.Keys.For("api", "exact-client");

        for (var i = 0; i < 50; i++)
        {
            Assert.True((await instance.Redis.CheckRateLimitAsync(key, 1_000_000, TimeSpan.FromMinutes(1))).Allowed);
        }

        var members = await instance.Connection.GetDatabase().SortedSetRangeByRankAsync(WindowKey(ns, key));
        Assert.Equal(50, members.Select(m => m.ToString().Split(':')[0]).Distinct().Count());
    }

    private static string WindowKey(string ns, CacheKey key) => $"{ns}:~rl:{{{key.Local}}}";
}
