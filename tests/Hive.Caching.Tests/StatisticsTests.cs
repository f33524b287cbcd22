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
        using var listener = new MeterListener
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
                    lock (measured)
                    {
                        measured[instrument.Name] = measured.GetValueOrDefault(instrument.Name) + value;
                    }
                }
            }
        });
        listener.Start();

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

        lock (measured)
        {
            Assert.Equal(2, measured["hive.cache.hits"]);
            Assert.Equal(2, measured["hive.cache.misses"]);
            Assert.Equal(1, measured["hive.cache.factory.calls"]);
            Assert.Equal(1, measured["hive.cache.l2.hits"]);
        }
    }
}
