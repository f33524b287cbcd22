using Hive.Testing;

namespace Hive.Caching.Tests;

/// <summary>
/// A burst of invalidations of one tag is coalesced into a few rounds, and still every caller returns only
/// after an invalidation that started after its call (so what it changed before calling is never served).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InvalidationRoundsTests(RedisFixture redis)
{
    [Fact]
    public async Task EveryCallerInABurstOnOneTagFindsWhatItCachedBeforeCallingGoneWhenItReturns()
    {
        await using var instance = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var cache = instance.Api;
        var shared = cache.Keys.Tag("list");

        var callers = Enumerable.Range(0, 200).Select(i => Task.Run<CacheKey?>(async () =>
        {
            var key = cache.Keys.For("page", i);
            await cache.SetAsync(key, "before the change", tags: [shared]);
            await cache.InvalidateTagAsync(shared);
            return (await cache.TryGetAsync<string>(key)).HasValue ? key : null;
        }));
        var served = (await Task.WhenAll(callers)).Where(key => key is not null).ToList();

        Assert.Empty(served);
    }

    [Fact]
    public async Task CallersThatArriveWhileARoundRunsShareTheNextRoundWhichStartsAfterThem()
    {
        var rounds = new InvalidationRounds();
        var starts = new List<DateTime>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task Invalidate()
        {
            lock (starts)
            {
                starts.Add(DateTime.UtcNow);
            }

            await release.Task;
        }

        var first = rounds.RunAsync("list", Invalidate);
        await Eventually.TrueAsync(() => Task.FromResult(CountOf(starts) == 1), TimeSpan.FromSeconds(10), "the first round starts");
        var joinedAt = DateTime.UtcNow;
        var later = Enumerable.Range(0, 50).Select(_ => rounds.RunAsync("list", Invalidate)).ToList();

        Assert.False(first.IsCompleted);
        Assert.All(later, task => Assert.False(task.IsCompleted));
        release.SetResult();
        await first;
        await Task.WhenAll(later);

        Assert.Equal(2, starts.Count);
        Assert.True(starts[1] >= joinedAt, "the round the later callers joined started after they joined");
    }

    private static int CountOf(List<DateTime> starts)
    {
        lock (starts)
        {
            return starts.Count;
        }
    }

    [Fact]
    public async Task ARoundThatFailsFaultsEveryCallerThatJoinedIt()
    {
        var rounds = new InvalidationRounds();
        var failing = rounds.RunAsync("list", () => Task.FromException(new InvalidOperationException("redis is down")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("redis is down", error.Message);
        await rounds.RunAsync("list", () => Task.CompletedTask);
    }

    [Fact]
    public async Task TheCallerThatStartsARoundIsNotHeldByItsWork()
    {
        var rounds = new InvalidationRounds();
        using var gate = new ManualResetEventSlim();

        // An invalidation that does slow work before its first await (as a Redis client may).
        var call = Task.Factory.StartNew(
            () => rounds.RunAsync("list", () =>
            {
                gate.Wait(TimeSpan.FromSeconds(30));
                return Task.CompletedTask;
            }),
            CancellationToken.None,
            TaskCreationOptions.None,
            TaskScheduler.Default);

        var joined = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(joined.IsCompleted, "the round is still running");
        gate.Set();
        await joined.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TagsLeaveTheTableOnceTheirRoundsAreDone()
    {
        // Every product has its own tag: the table must not keep one entry per product ever changed.
        var rounds = new InvalidationRounds();
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => rounds.RunAsync($"product:{i % 500}", () => Task.Delay(1))));

        await Eventually.TrueAsync(() => Task.FromResult(rounds.TagsInFlight == 0), TimeSpan.FromSeconds(10), "every idle tag left the table");
    }
}
