using System.Diagnostics.Metrics;
using Hive.Testing;

namespace Hive.Caching.Tests;

[Collection(RedisCollection.Name)]
public sealed class StatisticsTests(RedisFixture redis)
{
    [Fact]
    public async Task HitsMissesAndLevelsAreCountedPerNamespaceAndPublishedAsMetrics()
    {
        var ns = CacheInstance.NewNamespace();
        var measured = new Dictionary<string, long>();
        using var listener = CountsOf(ns, (name, value) =>
        {
            lock (measured)
            {
                measured[name] = measured.GetValueOrDefault(name) + value;
            }
        });

        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("product", 1);

        await a.Api.GetOrSetAsync(key, _ => Task.FromResult("v"));   // miss + factory
        await a.Api.GetAsync<string>(key);                            // L1 hit
        await b.Api.GetAsync<string>(key);                            // L2 hit in B
        await a.Api.GetAsync<string>(a.Api.Keys.For("product", 2));   // miss

        var stats = a.Api.GetStatistics();
        Assert.Equal(ns, stats.Namespace);
        Assert.Equal(1, stats.Hits);
        Assert.Equal(2, stats.Misses);
        Assert.Equal(1, stats.FactoryCalls);
        Assert.True(stats.L1Hits >= 1);
        Assert.Equal(1d / 3, stats.HitRate, 3);
        Assert.True(stats.AverageLatencyMs > 0);
        Assert.True(stats.P95LatencyMs >= 0);
        Assert.True(stats.DistributedCacheAvailable);
        Assert.Equal(1, b.Api.GetStatistics().L2Hits);

        // The read counters are observable: a meter provider reads them at each collection.
        listener.RecordObservableInstruments();
        lock (measured)
        {
            Assert.Equal(2, measured["hive.cache.hits"]);
            Assert.Equal(2, measured["hive.cache.misses"]);
            Assert.Equal(1, measured["hive.cache.factory.calls"]);
            Assert.Equal(1, measured["hive.cache.l2.hits"]);
        }
    }

    [Fact]
    public async Task EachHitIsCountedOnceAsMemoryOrRedisAndOnlyReadsThatLeftMemoryHaveADuration()
    {
        var ns = CacheInstance.NewNamespace();
        var durations = new List<string>();
        using var listener = OperationsOf<double>("hive.cache.operation.duration", ns, durations);

        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("product", 1);
        var other = a.Api.Keys.For("product", 2);
        await a.Api.SetAsync(key, "v");
        await a.Api.SetAsync(other, "w");
        lock (durations)
        {
            durations.Clear();
        }

        Assert.Equal("v", await b.Api.GetAsync<string>(key));                                  // Redis
        Assert.Equal("v", await b.Api.GetAsync<string>(key));                                  // memory
        Assert.Equal("v", await b.Api.GetOrSetAsync(key, _ => Task.FromResult("loaded")));      // memory
        Assert.Equal("w", await b.Api.GetOrSetAsync(other, _ => Task.FromResult("loaded")));    // Redis
        Assert.Equal(2, (await b.Api.GetManyAsync<string>([key, other])).Count);               // memory, twice

        var stats = b.Api.GetStatistics();
        Assert.Equal(6, stats.Hits);
        Assert.Equal(4, stats.L1Hits);
        Assert.Equal(2, stats.L2Hits);
        Assert.Equal(0, stats.Misses);
        lock (durations)
        {
            Assert.Equal(["get", "get_or_set", "get_many"], durations);
            durations.Clear();
        }

        // Writes are always timed.
        await b.Api.SetAsync(key, "v2");
        await b.Api.RemoveAsync(key);
        lock (durations)
        {
            Assert.Equal(["set", "remove"], durations);
        }
    }

    [Fact]
    public async Task BatchReadsAndFillsCountTheirHitsMissesAndFactoryCallsAndBatchWritesAreTimed()
    {
        var ns = CacheInstance.NewNamespace();
        var durations = new List<string>();
        using var listener = OperationsOf<double>("hive.cache.operation.duration", ns, durations);
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        CacheKey[] keys = [a.Api.Keys.For("product", 1), a.Api.Keys.For("product", 2), a.Api.Keys.For("product", 3)];
        await a.Api.SetManyAsync([new(keys[0], "one"), new KeyValuePair<CacheKey, string>(keys[1], "two")]);

        // Another replica: two found in Redis, one missing.
        Assert.Equal(2, (await b.Api.GetManyAsync<string>(keys)).Count);
        var stats = b.Api.GetStatistics();
        Assert.Equal((2, 2, 0, 1), (stats.Hits, stats.L2Hits, stats.L1Hits, stats.Misses));

        // Now two from its memory and one from the factory, in one call.
        var all = await b.Api.GetOrSetManyAsync<string>(
            keys, (missing, _) => Task.FromResult<IReadOnlyDictionary<CacheKey, string>>(missing.ToDictionary(k => k, _ => "three")), tags: [b.Api.Keys.Tag("shop", 1)]);
        Assert.Equal(["one", "two", "three"], keys.Select(k => all[k]));
        stats = b.Api.GetStatistics();
        Assert.Equal((4, 2, 1), (stats.Hits, stats.Misses, stats.FactoryCalls));

        await b.Api.InvalidateTagAsync(b.Api.Keys.Tag("shop", 1));
        lock (durations)
        {
            Assert.Equal(["set_many", "get_many", "get_or_set_many", "invalidate_tag"], durations);
        }
    }

    [Fact]
    public async Task RedisPrimitivesAndRemovalsAreTimedUnderTheirOwnOperationNames()
    {
        var ns = CacheInstance.NewNamespace();
        var durations = new List<string>();
        using var listener = OperationsOf<double>("hive.cache.operation.duration", ns, durations);
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("counter", 1);
        var board = a.Api.Keys.For("board", "sellers");

        await a.Redis.CheckRateLimitAsync(key, 5, TimeSpan.FromMinutes(1));
        await a.Redis.IncrementAsync(key);
        await a.Redis.LeaderboardAddAsync(board, "shop-1", 2);
        Assert.Equal(3, await a.Redis.LeaderboardIncrementAsync(board, "shop-1"));
        Assert.Single(await a.Redis.LeaderboardTopAsync(board, 3));
        await a.Api.RemoveAsync(key);

        lock (durations)
        {
            Assert.Equal(["rate_limit", "increment", "leaderboard_add", "leaderboard_increment", "leaderboard_top", "remove"], durations);
        }
    }

    [Fact]
    public async Task HitsOfTaggedEntriesFromMemoryAreL1HitsAndRunNoFactory()
    {
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, CacheInstance.NewNamespace());
        var tag = a.Api.Keys.Tag("product", 7);
        var read = a.Api.Keys.For("product", 7);
        var loaded = a.Api.Keys.For("page", 1);
        await a.Api.SetAsync(read, "seven", tags: [tag]);
        await a.Api.SetAsync(loaded, "page", tags: [tag]);

        // FusionCache checks the tag's stamp on each of these hits.
        Assert.Equal("seven", await a.Api.GetAsync<string>(read));
        Assert.Equal("page", await a.Api.GetOrSetAsync(loaded, _ => Task.FromResult("loaded"), tags: [tag]));

        var stats = a.Api.GetStatistics();
        Assert.Equal(2, stats.Hits);
        Assert.Equal(2, stats.L1Hits);
        Assert.Equal(0, stats.L2Hits);
        Assert.Equal(0, stats.FactoryCalls);
    }

    [Fact]
    public async Task ACacheThatWasDisposedIsNoLongerObserved()
    {
        var ns = CacheInstance.NewNamespace();
        var seen = new List<(string Name, long Value)>();
        using var listener = CountsOf(ns, (name, value) => seen.Add((name, value)));

        var instance = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = instance.Api.Keys.For("product", 1);
        await instance.Api.SetAsync(key, "v");
        await instance.Api.GetAsync<string>(key);
        listener.RecordObservableInstruments();
        Assert.Contains(("hive.cache.l1.hits", 1L), seen);

        await instance.DisposeAsync();
        seen.Clear();
        listener.RecordObservableInstruments();
        Assert.Empty(seen);
    }

    [Fact]
    public async Task AFailingFactoryAndAnEntryThatCannotBeReadAreCountedAsErrorsByKind()
    {
        var ns = CacheInstance.NewNamespace();
        var errors = new List<string>();
        using var listener = OperationsOf<long>("hive.cache.errors", ns, errors);

        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await a.Api.GetOrSetAsync<string>(a.Api.Keys.For("product", 1), _ => throw new InvalidOperationException("the database is down")));

        // Bytes in Redis that are no entry (another version's shape, a corrupted write): a miss, and an error.
        var garbled = a.Api.Keys.For("product", 2);
        await a.Connection.GetDatabase().StringSetAsync(garbled.Value, "not an entry");
        Assert.False((await a.Api.TryGetAsync<string>(garbled)).HasValue);

        Assert.Equal(2, a.Api.GetStatistics().Errors);
        lock (errors)
        {
            Assert.Equal(["factory", "deserialize"], errors);
        }
    }

    /// <summary>Listens to one instrument and collects the <c>operation</c> tag of each measurement in the namespace.</summary>
    internal static MeterListener OperationsOf<T>(string instrumentName, string ns, List<string> operations)
        where T : struct
        => MeasurementsOf<T>(instrumentName, ns, (_, operation) =>
        {
            lock (operations)
            {
                operations.Add(operation!);
            }
        });

    /// <summary>Listens to one instrument and reports the value and <c>operation</c> tag of each measurement in the namespace.</summary>
    internal static MeterListener MeasurementsOf<T>(string instrumentName, string ns, Action<T, string?> measured)
        where T : struct
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == instrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
        {
            string? space = null, operation = null;
            foreach (var tag in tags)
            {
                space = tag.Key == "namespace" ? (string?)tag.Value : space;
                operation = tag.Key == "operation" ? (string?)tag.Value : operation;
            }

            if (space == ns)
            {
                measured(value, operation);
            }
        });
        listener.Start();
        return listener;
    }

    /// <summary>Listens to every whole-number instrument of Hive.Caching and reports the measurements of one namespace.</summary>
    private static MeterListener CountsOf(string ns, Action<string, long> measured)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Hive.Caching")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "namespace" && (string?)tag.Value == ns)
                {
                    measured(instrument.Name, value);
                }
            }
        });
        listener.Start();
        return listener;
    }
}
