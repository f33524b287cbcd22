namespace Hive.Caching.Tests;

/// <summary>
/// The rules that hold while Redis is away or a caller errs: the in-process rate limiter's window arithmetic
/// (what a client reads in its RateLimit headers during an outage) and the refusal of a TTL that is not positive.
/// </summary>
public sealed class FallbackRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheFallbackLimiterCountsDownAndThenRefusesUntilTheWindowEnds()
    {
        var clock = new ManualClock(Start);
        var limiter = new LocalRateLimiter(clock);
        var window = TimeSpan.FromMinutes(1);

        var first = limiter.Check("rate:1", 3, window);
        clock.Advance(TimeSpan.FromSeconds(10));
        var second = limiter.Check("rate:1", 3, window);
        var third = limiter.Check("rate:1", 3, window);
        clock.Advance(TimeSpan.FromSeconds(20));
        var refused = limiter.Check("rate:1", 3, window);

        Assert.Equal((true, 2, Start + window, TimeSpan.Zero, true), (first.Allowed, first.Remaining, first.ResetAt, first.RetryAfter, first.IsFallback));
        Assert.Equal((true, 1), (second.Allowed, second.Remaining));
        Assert.Equal((true, 0), (third.Allowed, third.Remaining));
        // Refused 30 s into a one-minute window: retry after the 30 s left, and the reset stays where the window began.
        Assert.Equal((false, 0, Start + window, TimeSpan.FromSeconds(30), true), (refused.Allowed, refused.Remaining, refused.ResetAt, refused.RetryAfter, refused.IsFallback));
    }

    [Fact]
    public void ANewWindowBeginsTheMomentTheOldOneEnds()
    {
        var clock = new ManualClock(Start);
        var limiter = new LocalRateLimiter(clock);
        var window = TimeSpan.FromSeconds(10);
        Assert.True(limiter.Check("rate:1", 1, window).Allowed);

        clock.Advance(window - TimeSpan.FromTicks(1));
        Assert.False(limiter.Check("rate:1", 1, window).Allowed);

        clock.Advance(TimeSpan.FromTicks(1));
        var renewed = limiter.Check("rate:1", 1, window);
        Assert.True(renewed.Allowed);
        Assert.Equal(0, renewed.Remaining);
        Assert.Equal(Start + window + window, renewed.ResetAt);
    }

    [Fact]
    public void EachKeyHasItsOwnWindow()
    {
        var limiter = new LocalRateLimiter(new ManualClock(Start));

        Assert.True(limiter.Check("rate:a", 1, TimeSpan.FromMinutes(1)).Allowed);
        Assert.False(limiter.Check("rate:a", 1, TimeSpan.FromMinutes(1)).Allowed);
        Assert.True(limiter.Check("rate:b", 1, TimeSpan.FromMinutes(1)).Allowed);
    }

    [Theory]
    [InlineData(10_000, 10_001)]
    [InlineData(10_001, 1)]
    public void PastTenThousandKeysTheWindowsThatHaveEndedLeaveMemory(int keys, int tracked)
    {
        // An outage with many callers must not grow memory without bound: once more than 10,000 keys are
        // held, the next check drops every window that has ended (one ending this very moment included).
        var clock = new ManualClock(Start);
        var limiter = new LocalRateLimiter(clock);
        for (var i = 0; i < keys; i++)
        {
            limiter.Check($"rate:old-{i}", 5, TimeSpan.FromSeconds(1));
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        limiter.Check("rate:new", 5, TimeSpan.FromHours(1));

        Assert.Equal(tracked, limiter.Tracked);
    }

    [Fact]
    public void ManyExpiredKeysArePrunedWithoutLosingALiveWindow()
    {
        // Past 10,000 keys the limiter drops expired windows; one still open must keep its count.
        var clock = new ManualClock(Start);
        var limiter = new LocalRateLimiter(clock);
        for (var i = 0; i < 10_001; i++)
        {
            limiter.Check($"rate:old-{i}", 5, TimeSpan.FromSeconds(1));
        }

        limiter.Check("rate:live", 2, TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromSeconds(5));
        var second = limiter.Check("rate:live", 2, TimeSpan.FromHours(1));
        var third = limiter.Check("rate:live", 2, TimeSpan.FromHours(1));

        Assert.Equal((true, 0), (second.Allowed, second.Remaining));
        Assert.False(third.Allowed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ATtlThatIsNotPositiveIsRefusedNamingIt(int seconds)
    {
        var error = Assert.Throws<ArgumentException>(() => CacheLifetime.FromTtl(TimeSpan.FromSeconds(seconds)));

        Assert.Equal("ttl", error.ParamName);
        Assert.Contains("must be positive", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(1), CacheLifetime.FromTtl(TimeSpan.FromMilliseconds(1)).Ttl);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
