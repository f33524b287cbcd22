using System.Threading.Channels;
using Hive.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Hive.Caching.Tests;

[Collection(RedisCollection.Name)]
public sealed class LockTests(RedisFixture redis)
{
    [Fact]
    public async Task OnlyOneHolderAtATimeAndFencingNumbersGrow()
    {
        var ns = CacheInstance.NewNamespace();
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("job", "reindex");

        var first = await a.Redis.AcquireLockAsync(key, TimeSpan.FromSeconds(30));
        Assert.NotNull(first);
        Assert.Equal(32, first.Token.Length);
        Assert.Null(await b.Redis.AcquireLockAsync(key, TimeSpan.FromSeconds(30)));

        Assert.True(await first.ReleaseAsync());
        var second = await b.Redis.AcquireLockAsync(key, TimeSpan.FromSeconds(30));
        Assert.NotNull(second);
        Assert.True(second.FencingToken > first.FencingToken);
        Assert.NotEqual(first.Token, second.Token);
        await second.DisposeAsync();

        await using var third = await a.Redis.AcquireLockAsync(key, TimeSpan.FromSeconds(30));
        Assert.True(third!.FencingToken > second.FencingToken);
    }

    [Fact]
    public async Task AnExpiredLockGoesToTheNextCallerAndTheOldHolderCanNoLongerReleaseOrExtendIt()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var primitives = instance.Redis;
        var key = cache.Keys.For("job", "expiring");

        var old = await primitives.AcquireLockAsync(key, TimeSpan.FromMilliseconds(300));
        Assert.NotNull(old);

        // Waits (with a deadline) until the TTL frees it.
        var next = await primitives.AcquireLockAsync(key, TimeSpan.FromSeconds(30), wait: TimeSpan.FromSeconds(10));
        Assert.NotNull(next);
        Assert.True(next.FencingToken > old.FencingToken);

        Assert.False(await old.ExtendAsync(TimeSpan.FromSeconds(30)));
        Assert.False(await old.ReleaseAsync());
        Assert.Null(await primitives.AcquireLockAsync(key, TimeSpan.FromSeconds(1)));
        Assert.True(await next.ReleaseAsync());
    }

    [Fact]
    public async Task TheHolderCanExtendItsLock()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var primitives = instance.Redis;
        var key = cache.Keys.For("job", "extend");

        await using var held = await primitives.AcquireLockAsync(key, TimeSpan.FromSeconds(2));
        Assert.True(await held!.ExtendAsync(TimeSpan.FromMinutes(5)));
        var pttl = await instance.Connection.GetDatabase().KeyTimeToLiveAsync($"{cache.Namespace}:~lock:{{job:extend}}");
        Assert.True(pttl > TimeSpan.FromMinutes(4));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => held.ExtendAsync(TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => held.ExtendAsync(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task ALockIsLetGoOnceAndLettingItGoAgainLeavesTheNextHoldersLockAlone()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var key = instance.Api.Keys.For("job", "twice");
        var first = await instance.Redis.AcquireLockAsync(key, TimeSpan.FromMinutes(1));

        Assert.True(await first!.ReleaseAsync());
        await using var second = await instance.Redis.AcquireLockAsync(key, TimeSpan.FromMinutes(1));
        Assert.NotNull(second);
        Assert.False(await first.ReleaseAsync());
        await first.DisposeAsync();

        Assert.True(await instance.Connection.GetDatabase().KeyExistsAsync($"{instance.Api.Namespace}:~lock:{{job:twice}}"));
        Assert.Null(await instance.Redis.AcquireLockAsync(key, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task WaitingForABusyLockGivesUpAtTheDeadline()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var primitives = instance.Redis;
        var key = cache.Keys.For("job", "busy");
        await using var held = await primitives.AcquireLockAsync(key, TimeSpan.FromSeconds(30));

        Assert.Null(await primitives.AcquireLockAsync(key, TimeSpan.FromSeconds(30), wait: TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task AWaiterGetsTheLockOnceItsHolderLetsGo()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var primitives = instance.Redis;
        var key = instance.Api.Keys.For("job", "handover");
        var held = await primitives.AcquireLockAsync(key, TimeSpan.FromSeconds(30));
        Assert.NotNull(held);

        var waiting = primitives.AcquireLockAsync(key, TimeSpan.FromSeconds(30), wait: TimeSpan.FromSeconds(20)).AsTask();
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "the lock is still held");
        await held.DisposeAsync();

        await using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotNull(next);
        Assert.True(next.FencingToken > held.FencingToken);
    }

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AWaiterAsksAgainAfterEachRetryDelayAndItsLastPauseEndsAtItsDeadline()
    {
        var time = new WatchedTime();
        var ns = CacheInstance.NewNamespace();
        await using var holder = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var waiter = await CacheInstance.CreateAsync(redis.Configuration, ns, o => o.LockRetryDelay = TimeSpan.FromSeconds(1), time: time);
        var key = holder.Api.Keys.For("job", "paced");
        var held = await holder.Redis.AcquireLockAsync(key, TimeSpan.FromMinutes(1));
        Assert.NotNull(held);

        // Time moves only when the waiter pauses, and exactly by the pause it asked for.
        var giveUp = waiter.Redis.AcquireLockAsync(key, TimeSpan.FromMinutes(1), wait: TimeSpan.FromSeconds(2.5)).AsTask();
        var pauses = new List<TimeSpan>();
        var pause = time.Pauses.Reader.ReadAsync().AsTask();
        while (await Task.WhenAny(pause, giveUp).WaitAsync(Deadline) == pause)
        {
            pauses.Add(await pause);
            time.Advance(await pause);
            pause = time.Pauses.Reader.ReadAsync().AsTask();
        }

        Assert.Null(await giveUp);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5)], pauses);

        // A waiter whose holder lets go during its pause takes the lock when the pause ends, not before.
        var takeOver = waiter.Redis.AcquireLockAsync(key, TimeSpan.FromMinutes(1), wait: TimeSpan.FromSeconds(10)).AsTask();
        var first = await pause.WaitAsync(Deadline);
        Assert.True(await held.ReleaseAsync());
        await Task.Delay(100);
        Assert.False(takeOver.IsCompleted, "the waiter is still in its pause");
        time.Advance(first);
        await using var taken = await takeOver.WaitAsync(Deadline);
        Assert.NotNull(taken);
        Assert.True(taken.FencingToken > held.FencingToken);
    }

    [Fact]
    public async Task AZeroWaitTriesOnceWithoutPausing()
    {
        var time = new WatchedTime();
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace(), time: time);
        var key = instance.Api.Keys.For("job", "once");

        await using var held = await instance.Redis.AcquireLockAsync(key, TimeSpan.FromMinutes(1), wait: TimeSpan.Zero);
        Assert.NotNull(held);
        Assert.Null(await instance.Redis.AcquireLockAsync(key, TimeSpan.FromMinutes(1), wait: TimeSpan.Zero));
        Assert.False(time.Pauses.Reader.TryRead(out _), "no pause was asked for");
    }

    /// <summary>Fake time that reports each timer the cache starts (a waiter's pause) to the test.</summary>
    private sealed class WatchedTime : TimeProvider
    {
        private readonly FakeTimeProvider _fake = new(DateTimeOffset.UtcNow);

        public Channel<TimeSpan> Pauses { get; } = Channel.CreateUnbounded<TimeSpan>();

        public override long TimestampFrequency => _fake.TimestampFrequency;

        public void Advance(TimeSpan by) => _fake.Advance(by);

        public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

        public override long GetTimestamp() => _fake.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            // The timer exists before the test hears of it: a test that advances time at once must not
            // move the clock ahead of a timer not yet started, which would then never fire.
            var timer = _fake.CreateTimer(callback, state, dueTime, period);
            Pauses.Writer.TryWrite(dueTime);
            return timer;
        }
    }
}
