using Microsoft.Extensions.Time.Testing;

namespace Hive.Caching.Tests;

/// <summary>
/// The lease rules on their own, no Redis: when a key is leased at all, how big each lease is, when its
/// permits may be used, what is given back, and how the sweeper tidies up. The Redis side (a window several
/// replicas share) is in <see cref="RateLimitTests"/>.
/// </summary>
public sealed class RateLimitLeaseRuleTests
{
    private const long Lifetime = 250;

    [Theory]
    [InlineData(64, 127, false)]
    [InlineData(64, 128, true)]
    [InlineData(64, 1_000_000, true)]
    [InlineData(2, 128, true)]
    [InlineData(1, 1_000_000, false)]
    public void OnlyLimitsOfAtLeast128AreLeasedAndOnlyWhenLeasingIsOn(int max, int limit, bool leased)
    {
        using var leases = new RateLimitLeases(new HiveCacheOptions { Namespace = "t", RateLimitLeaseMax = max }, new FakeTimeProvider(), _ => { });
        Assert.Equal(leased, leases.Applies(limit));
    }

    [Theory]
    // Doubling while used up within the lifetime, capped by the option, a 64th of the limit, a 16th of what is left.
    [InlineData(64, 1_000_000, new[] { 1, 2, 4, 8, 16, 32, 64, 64 })]
    [InlineData(8, 1_000_000, new[] { 1, 2, 4, 8, 8 })]
    [InlineData(64, 256, new[] { 1, 2, 4, 4, 4 })]
    [InlineData(64, 640, new[] { 1, 2, 4, 8, 10, 10 })]
    public void AKeyUsedFasterThanALeaseLastsGetsDoublingLeasesUpToItsCaps(int max, int limit, int[] sizes)
    {
        var lease = NewLease(limit);
        var remaining = limit;
        var now = 0L;
        foreach (var expected in sizes)
        {
            Assert.False(lease.TryTake(now, out _));
            Assert.Equal(expected, lease.StartRefill(now, max, out var unused));
            Assert.Null(unused);
            remaining -= expected;
            lease.Install("l", expected, Allowed(remaining + expected - 1), now + Lifetime);
            lease.EndRefill();
            Take(lease, now, expected - 1);
            now += 10;
        }
    }

    [Fact]
    public void ALeaseIsCappedByASixteenthOfWhatWasLeftAtTheLastGrant()
    {
        var lease = NewLease(1_000_000);
        // Redis says 100 are left after this permit: the next lease may hold at most 100 / 16 = 6.
        Assert.Equal(1, Refill(lease, 0, "a", 1, Allowed(100), Lifetime));
        Refill(lease, 1, "b", 2, Allowed(99), Lifetime + 1);
        Take(lease, 2, 1);
        Assert.Equal(4, Refill(lease, 3, "c", 4, Allowed(96 + 3), Lifetime + 3));
        Take(lease, 4, 3);
        Assert.Equal(6, lease.StartRefill(5, 64, out _));
    }

    [Fact]
    public void EachPermitOfALeaseCountsDownTheRemainingByOneAndNoneIsTakenAtOrAfterItsExpiry()
    {
        var lease = NewLease(1_000_000);
        // Four granted, the first is the caller's: Redis has 500 left, the caller sees 503.
        Refill(lease, 0, "l", 4, Allowed(503), expiresAt: 100);

        Assert.True(lease.TryTake(99, out var second));
        Assert.Equal(new RateLimitResult(true, 502, Reset, TimeSpan.Zero), second);
        Assert.True(lease.TryTake(99, out var third));
        Assert.Equal(502 - 1, third.Remaining);
        Assert.False(lease.TryTake(100, out _));
        Assert.False(lease.TryTake(101, out _));
    }

    [Fact]
    public void AnExpiredLeaseGivesBackExactlyItsUnusedPermitsOnceAndHalvesTheNext()
    {
        var lease = GrownTo(8);
        Refill(lease, 100, "eight", 8, Allowed(10_000), expiresAt: 200);
        Take(lease, 150, 2);

        Assert.Null(lease.TakeExpired(199));
        var back = lease.TakeExpired(200);
        Assert.Equal(new RateLimitLeases.Lease.Unused(lease.RedisKey, "eight", 3, 8), back);
        Assert.Null(lease.TakeExpired(300));

        Assert.Equal(4, lease.StartRefill(300, 64, out var again));
        Assert.Null(again);
    }

    [Fact]
    public void ARefillAfterExpiryGivesBackTheUnusedPermitsItself()
    {
        var lease = GrownTo(4);
        Refill(lease, 100, "four", 4, Allowed(10_000), expiresAt: 200);

        Assert.False(lease.TryTake(200, out _));
        Assert.Equal(2, lease.StartRefill(200, 64, out var unused));
        Assert.Equal(new RateLimitLeases.Lease.Unused(lease.RedisKey, "four", 1, 4), unused);
    }

    [Fact]
    public void AUsedUpLeaseAskedForAgainOnlyAfterItsLifetimeKeepsItsSize()
    {
        var lease = GrownTo(4);
        Refill(lease, 100, "four", 4, Allowed(10_000), expiresAt: 200);
        Take(lease, 150, 3);

        // Asked again exactly when the lease expires: that is after its lifetime already.
        Assert.Equal(4, lease.StartRefill(200, 64, out var unused));
        Assert.Null(unused);
    }

    [Fact]
    public void ARefusalLeavesNoLeaseAndShrinksTheNextToOnePermit()
    {
        var lease = GrownTo(8);
        Refill(lease, 100, "none", 0, new RateLimitResult(false, 0, Reset, TimeSpan.FromSeconds(3)), expiresAt: 200);

        Assert.False(lease.TryTake(100, out _));
        Assert.Equal(1, lease.StartRefill(101, 64, out _));
    }

    [Fact]
    public void AFallbackDecisionWhileRedisIsDownLeavesTheLeaseAsItWas()
    {
        var lease = GrownTo(4);
        Refill(lease, 100, "x", 3, new RateLimitResult(true, 41, Reset, TimeSpan.Zero, IsFallback: true), expiresAt: 200);
        Assert.False(lease.TryTake(100, out _));

        Refill(lease, 101, "y", 0, new RateLimitResult(false, 0, Reset, TimeSpan.FromSeconds(1), IsFallback: true), expiresAt: 200);
        // Neither fallback moved what Redis last said was left: the lease keeps growing from there.
        Assert.Equal(16, lease.StartRefill(102, 64, out _));
    }

    [Fact]
    public void ARefillIsOneCallAtATimeUntilItEnds()
    {
        var lease = NewLease(1_000_000);
        lease.StartRefill(0, 64, out _);
        var refill = lease.Refill;
        Assert.NotNull(refill);
        Assert.Same(refill, lease.EndRefill());
        Assert.Null(lease.Refill);
        Assert.Null(lease.EndRefill());
    }

    [Fact]
    public void TheSweeperGivesBackExpiredPermitsAndForgetsKeysIdleForTwentyLifetimes()
    {
        var clock = new FakeTimeProvider();
        var given = new List<RateLimitLeases.Lease.Unused>();
        var options = new HiveCacheOptions { Namespace = "t", RateLimitLeaseLifetime = TimeSpan.FromMilliseconds(Lifetime) };
        using var leases = new RateLimitLeases(options, clock, given.Add);
        var key = new CacheKeyBuilder("t").For("api", "client");
        var lease = leases.For(key, 1_000_000, TimeSpan.FromMinutes(1), _ => "t:~rl:{api:client}");
        Assert.Same(lease, leases.For(key, 1_000_000, TimeSpan.FromMinutes(1), _ => throw new InvalidOperationException("made twice")));
        Assert.NotSame(lease, leases.For(key, 1_000, TimeSpan.FromMinutes(1), _ => "t:~rl:{api:client}"));

        var now = clock.GetTimestamp();
        var ticks = clock.TimestampFrequency * Lifetime / 1000;
        lock (lease.Gate)
        {
            Assert.False(lease.TryTake(now, out _));
            Refill(lease, now, "l", 1, Allowed(999_999), now + ticks);
            Refill(lease, now, "m", 2, Allowed(999_998), now + ticks);
        }

        // One lifetime on, the sweeper gives back the permit "m:1" never used.
        clock.Advance(TimeSpan.FromMilliseconds(Lifetime));
        Assert.Equal(new[] { new RateLimitLeases.Lease.Unused("t:~rl:{api:client}", "m", 1, 2) }, given);
        Assert.Equal(2, leases.Tracked);

        // Twenty lifetimes (5 s) without a call: both keys are forgotten and a caller holding one looks it up again.
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(2, leases.Tracked);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, leases.Tracked);
        Assert.True(lease.Removed);
        Assert.Single(given);
    }

    [Fact]
    public void AKeyWaitingOnARefillIsNotForgottenAndADisposedSweeperStops()
    {
        var clock = new FakeTimeProvider();
        var given = new List<RateLimitLeases.Lease.Unused>();
        var options = new HiveCacheOptions { Namespace = "t", RateLimitLeaseLifetime = TimeSpan.FromMilliseconds(Lifetime) };
        var leases = new RateLimitLeases(options, clock, given.Add);
        var key = new CacheKeyBuilder("t").For("api", "client");
        var lease = leases.For(key, 1_000_000, TimeSpan.FromMinutes(1), _ => "k");
        lock (lease.Gate)
        {
            lease.StartRefill(clock.GetTimestamp(), 64, out _);
        }

        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, leases.Tracked);
        Assert.False(lease.Removed);

        lock (lease.Gate)
        {
            lease.Install("l", 3, Allowed(999_999), clock.GetTimestamp() + 1);
            lease.EndRefill();
        }

        leases.Dispose();
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Empty(given);
        Assert.Equal(1, leases.Tracked);

        // Nor does a key leased after disposal start it again.
        var late = leases.For(new CacheKeyBuilder("t").For("api", "late"), 1_000_000, TimeSpan.FromMinutes(1), _ => "late");
        lock (late.Gate)
        {
            Refill(late, clock.GetTimestamp(), "z", 2, Allowed(999_999), clock.GetTimestamp() + 1);
        }

        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Empty(given);
    }

    private static readonly DateTimeOffset Reset = DateTimeOffset.UnixEpoch.AddMinutes(1);

    private static RateLimitResult Allowed(int remaining) => new(true, remaining, Reset, TimeSpan.Zero);

    private static RateLimitLeases.Lease NewLease(int limit) => new("t:~rl:{api:client}", limit);

    /// <summary>One refill as HiveCache runs it (start, install what Redis decided, end); returns how many permits it asked for.</summary>
    private static int Refill(RateLimitLeases.Lease lease, long now, string id, int granted, RateLimitResult decided, long expiresAt)
    {
        var asked = lease.StartRefill(now, 64, out _);
        lease.Install(id, granted, decided, expiresAt);
        lease.EndRefill();
        return asked;
    }

    /// <summary>Takes <paramref name="count"/> permits of the current lease at <paramref name="now"/>; each must be there.</summary>
    private static void Take(RateLimitLeases.Lease lease, long now, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(lease.TryTake(now, out _));
        }
    }

    /// <summary>A lease of a 1,000,000 limit whose next refill asks for <paramref name="size"/> permits, all earlier ones used up in time.</summary>
    private static RateLimitLeases.Lease GrownTo(int size)
    {
        var lease = NewLease(1_000_000);
        var remaining = 900_000;
        for (var granted = 1; granted < size; granted *= 2)
        {
            Refill(lease, 0, "g" + granted, granted, Allowed(remaining + granted - 1), expiresAt: 1_000);
            Take(lease, 0, granted - 1);
            remaining -= granted;
        }

        // Used up, and the next call (at 100 to 999) comes within the lifetime: the next refill doubles to the size asked for.
        return lease;
    }
}
