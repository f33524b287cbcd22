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

        // Each Redis call leaves at most two members under one lease id: far fewer calls than decisions, every decision backed by a permit.
        var window = WindowKey(ns, key);
        var db = instance.Connection.GetDatabase();
        var members = (await db.SortedSetRangeByRankAsync(window)).Select(m => m.ToString()).ToList();
        var leases = members.Select(LeaseOf).Distinct().Count();
        Assert.InRange(leases, 1, calls / 20);
        Assert.InRange(members.Count, leases, 2 * leases);
        Assert.InRange(await PermitsHeldAsync(db, window), calls, calls + 63);

        // A lease's first permit is used at once; the others may be used up to a lifetime (250 ms) later, so they
        // count in the window from the lifetime's end: the window never forgets a permit before its use is a window old.
        var scored = await db.SortedSetRangeByRankWithScoresAsync(window);
        foreach (var lease in scored.GroupBy(e => LeaseOf(e.Element.ToString())))
        {
            var first = lease.Single(e => e.Element.ToString().EndsWith(":0#1", StringComparison.Ordinal)).Score;
            Assert.All(lease.Where(e => !e.Element.ToString().EndsWith(":0#1", StringComparison.Ordinal)), e => Assert.Equal(first + 250, e.Score));
        }

        // The last lease's unused permits are given back once it expires, from the set and from its tally.
        await Eventually.TrueAsync(
            async () => await PermitsHeldAsync(db, window) == calls && (long)await db.StringGetAsync(window + ":n") == calls,
            TimeSpan.FromSeconds(5),
            "the unused permits were given back");
    }

    [Fact]
    public async Task AWindowWithoutATallyIsCountedFromItsMembersOnce()
    {
        var ns = CacheInstance.NewNamespace();
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, ns, o => o.RateLimitLeaseMax = 1);
        var key = instance.Api.Keys.For("api", "counted-client");
        var window = WindowKey(ns, key);
        var db = instance.Connection.GetDatabase();
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await instance.Redis.CheckRateLimitAsync(key, 10, TimeSpan.FromMinutes(1))).Allowed);
        }

        // As a window was once written: one member per permit, no weight, no tally; and a leased member of four.
        await db.KeyDeleteAsync(window + ":n");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await db.SortedSetAddAsync(window, [new("old-a:0", now), new("old-a:1", now), new("old-b:1#4", now)]);

        // 3 + 2 + 4 held: the next call is the tenth, the one after is refused; the tally is kept from then on.
        var tenth = await instance.Redis.CheckRateLimitAsync(key, 10, TimeSpan.FromMinutes(1));
        Assert.True(tenth.Allowed);
        Assert.Equal(0, tenth.Remaining);
        Assert.Equal(10, (long)await db.StringGetAsync(window + ":n"));
        Assert.False((await instance.Redis.CheckRateLimitAsync(key, 10, TimeSpan.FromMinutes(1))).Allowed);
        Assert.InRange((await db.KeyTimeToLiveAsync(window + ":n"))!.Value, TimeSpan.FromSeconds(55), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task PermitsLeaveTheTallyWithTheirWindow()
    {
        var ns = CacheInstance.NewNamespace();
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, ns, o => o.RateLimitLeaseMax = 1);
        var key = instance.Api.Keys.For("api", "sliding-client");
        var window = TimeSpan.FromSeconds(2);
        var tally = WindowKey(ns, key) + ":n";
        var db = instance.Connection.GetDatabase();
        Assert.True((await instance.Redis.CheckRateLimitAsync(key, 3, window)).Allowed);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        Assert.True((await instance.Redis.CheckRateLimitAsync(key, 3, window)).Allowed);
        Assert.Equal(2, (long)await db.StringGetAsync(tally));
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        // The first permit is out of the window, the second still in: the tally drops the one and keeps the other.
        var later = await instance.Redis.CheckRateLimitAsync(key, 3, window);
        Assert.True(later.Allowed);
        Assert.Equal(1, later.Remaining);
        Assert.Equal(2, (long)await db.StringGetAsync(tally));
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
            var db = instances[0].Connection.GetDatabase();
            await Eventually.TrueAsync(
                async () => await PermitsHeldAsync(db, window) == allowed && (long)await db.StringGetAsync(window + ":n") == allowed,
                TimeSpan.FromSeconds(5),
                "the unused permits were given back");

            // And whatever was given back can be spent again, exactly up to the limit.
            var more = 0;
            while ((await instances[1].Redis.CheckRateLimitAsync(key, limit, TimeSpan.FromMinutes(1))).Allowed)
            {
                more++;
            }

            await Eventually.TrueAsync(
                async () => await PermitsHeldAsync(db, window) == limit && (long)await db.StringGetAsync(window + ":n") == limit,
                TimeSpan.FromSeconds(5),
                "the window holds the limit");
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

    private static string LeaseOf(string member) => member[..member.IndexOf(':', StringComparison.Ordinal)];

    /// <summary>The permits the window's members stand for: the number after <c>#</c>, one for a member without.</summary>
    private static async Task<long> PermitsHeldAsync(StackExchange.Redis.IDatabase db, string window) =>
        (await db.SortedSetRangeByRankAsync(window)).Select(m => m.ToString()).Sum(m => m.Contains('#', StringComparison.Ordinal) ? long.Parse(m[(m.IndexOf('#', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture) : 1);
}
