using Hive.Mobile.Caching;
using Hive.Mobile.Storage;
using Hive.Mobile.Tests.Fleet;

namespace Hive.Mobile.Tests.Caching;

/// <summary>The two cache levels on their own: budgets, recency, and private answers per user.</summary>
public sealed class CacheLevelTests : IDisposable
{
    private readonly string _data = MobileClients.NewDataDirectory();

    [Fact]
    public void TheMemoryLevelKeepsWithinItsBudgetDroppingTheLeastRecentlyUsed()
    {
        var memory = new MemoryLru(budgetBytes: 3000);
        memory.Set(Entry("a", 1000));
        memory.Set(Entry("b", 1000));
        memory.Set(Entry("c", 1000));
        Assert.NotNull(memory.Get("a"));

        memory.Set(Entry("d", 1000));

        Assert.Null(memory.Get("b"));
        Assert.NotNull(memory.Get("a"));
        Assert.NotNull(memory.Get("c"));
        Assert.NotNull(memory.Get("d"));
        Assert.Equal(3000, memory.Bytes);
    }

    [Fact]
    public void InMemoryAReplacedAnswerCountsOnceAndOneLargerThanTheBudgetIsNotKeptNorIsItsOlderCopy()
    {
        var memory = new MemoryLru(budgetBytes: 3000);
        memory.Set(Entry("a", 1000));
        memory.Set(Entry("b", 1000));

        memory.Set(Entry("a", 500));
        Assert.Equal((2, 1500L), (memory.Count, memory.Bytes));

        memory.Set(Entry("a", 3001));
        Assert.Null(memory.Get("a"));
        Assert.Equal((1, 1000L), (memory.Count, memory.Bytes));

        memory.Set(Entry("c", 3000));
        Assert.Equal(3000, memory.Get("c")!.Body.Length);
        Assert.Null(memory.Get("b"));
        Assert.Equal((1, 3000L), (memory.Count, memory.Bytes));

        memory.Set(Entry("d", 10, "u1"));
        memory.Set(Entry("e", 10, "u1"));
        Assert.Equal((2, 20L), (memory.Count, memory.Bytes));
        memory.RemoveScope("u1");
        memory.Remove("nothing");
        Assert.Equal((0, 0L), (memory.Count, memory.Bytes));
    }

    [Fact]
    public async Task OnDiskAnAnswerOfTheWholeBudgetIsKeptAndALargerOneIsNotNorIsItsOlderCopy()
    {
        var disk = new DiskStore(new LocalDatabase(_data), budgetBytes: 2000, new ManualClock());
        await disk.SetAsync(Entry("a", 2000), default);
        Assert.Equal((1, 2000L), await disk.SizeAsync(default));

        await disk.SetAsync(Entry("a", 2001), default);

        Assert.Null(await disk.GetAsync("a", default));
        Assert.Equal((0, 0L), await disk.SizeAsync(default));
    }

    [Fact]
    public async Task TheDiskLevelSurvivesReopeningAndKeepsWithinItsBudget()
    {
        var clock = new ManualClock();
        var disk = new DiskStore(new LocalDatabase(_data), budgetBytes: 2500, clock);
        await disk.SetAsync(Entry("a", 1000), default);
        clock.Advance();
        await disk.SetAsync(Entry("b", 1000), default);
        clock.Advance();
        Assert.NotNull(await disk.GetAsync("a", default));
        clock.Advance();

        await disk.SetAsync(Entry("c", 1000), default);

        var reopened = new DiskStore(new LocalDatabase(_data), budgetBytes: 2500, clock);
        Assert.Null(await reopened.GetAsync("b", default));
        var a = await reopened.GetAsync("a", default);
        Assert.NotNull(a);
        Assert.Equal(1000, a.Body.Length);
        Assert.Equal("\"a\"", a.ETag);
        Assert.NotNull(await reopened.GetAsync("c", default));
        Assert.Equal((2, 2000L), await reopened.SizeAsync(default));
    }

    [Fact]
    public async Task SigningOutWipesOnlyThatUsersPrivateAnswers()
    {
        var clock = new ManualClock();
        var memory = new MemoryLru(10_000);
        var disk = new DiskStore(new LocalDatabase(_data), 10_000, clock);
        foreach (var entry in new[] { Entry("public", 10), Entry("u1|orders", 10, "u1"), Entry("u2|orders", 10, "u2") })
        {
            memory.Set(entry);
            await disk.SetAsync(entry, default);
        }

        memory.RemoveScope("u1");
        await disk.RemoveScopeAsync("u1", default);

        Assert.Null(memory.Get("u1|orders"));
        Assert.Null(await disk.GetAsync("u1|orders", default));
        Assert.NotNull(await disk.GetAsync("u2|orders", default));
        Assert.NotNull(await disk.GetAsync("public", default));
        Assert.NotNull(memory.Get("u2|orders"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private static CachedResponse Entry(string key, int size, string scope = "")
        => new(key, scope, ResourceKind.Product, new byte[size], $"\"{key}\"", DateTimeOffset.UnixEpoch);

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance() => _now += TimeSpan.FromSeconds(1);

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
