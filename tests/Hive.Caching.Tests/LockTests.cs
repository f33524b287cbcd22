using Hive.Testing;

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
}
