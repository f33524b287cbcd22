using System.Diagnostics;

namespace Hive.Caching.Tests;

/// <summary>
/// The figures <c>/admin/cache</c> shows, from known counts and durations: rates over all reads, the mean and
/// the 95th percentile of the last 2,048 timed operations, errors and evictions.
/// </summary>
public sealed class StatisticsFiguresTests
{
    [Fact]
    public void AnEmptyNamespaceShowsZeroesRatherThanDividingByNothing()
    {
        var snapshot = new CacheStatistics("fresh").Snapshot();

        Assert.Equal(0, snapshot.HitRate);
        Assert.Equal(0, snapshot.L1HitRate);
        Assert.Equal(0, snapshot.L2HitRate);
        Assert.Equal(0, snapshot.AverageLatencyMs);
        Assert.Equal(0, snapshot.P95LatencyMs);
    }

    [Fact]
    public void RatesAreSharesOfAllReadsAndEachLevelIsCountedApart()
    {
        var statistics = new CacheStatistics("rates");
        for (var i = 0; i < 6; i++)
        {
            statistics.L1Hit();
        }

        statistics.Hit();
        statistics.L2Hit();
        statistics.Hit();
        statistics.L2Hit();
        statistics.Miss(2);
        statistics.Miss(0);
        statistics.Miss(-3);

        var snapshot = statistics.Snapshot();
        Assert.Equal(8, snapshot.Hits);
        Assert.Equal(2, snapshot.Misses);
        Assert.Equal(0.8, snapshot.HitRate, 9);
        Assert.Equal(6, snapshot.L1Hits);
        Assert.Equal(0.6, snapshot.L1HitRate, 9);
        Assert.Equal(2, snapshot.L2Hits);
        Assert.Equal(0.2, snapshot.L2HitRate, 9);
    }

    [Fact]
    public void TheMeanAndThe95thPercentileComeFromTheTimedOperations()
    {
        var statistics = new CacheStatistics("latency");

        // 1, 2, ... 100 ms, in a shuffled order: the percentile must not depend on arrival order.
        foreach (var ms in Enumerable.Range(1, 100).OrderBy(n => (n * 37) % 101))
        {
            statistics.Elapsed("get", Stopwatch.GetTimestamp() - (long)(ms / 1000.0 * Stopwatch.Frequency));
        }

        var snapshot = statistics.Snapshot();

        // Each figure is the given duration plus the few microseconds the call itself took.
        Assert.InRange(snapshot.AverageLatencyMs, 50.5, 51.5);
        Assert.InRange(snapshot.P95LatencyMs, 95, 96);
    }

    [Fact]
    public void OnlyTheLatestTimedOperationsCountTowardsThePercentile()
    {
        var statistics = new CacheStatistics("reservoir");
        for (var i = 0; i < 2048; i++)
        {
            statistics.Elapsed("get", Stopwatch.GetTimestamp() - (long)(0.5 * Stopwatch.Frequency));
        }

        for (var i = 0; i < 2048; i++)
        {
            statistics.Elapsed("get", Stopwatch.GetTimestamp() - (long)(0.001 * Stopwatch.Frequency));
        }

        var snapshot = statistics.Snapshot();

        // The reservoir holds the last 2,048: all of them about 1 ms. The mean is over every operation.
        Assert.InRange(snapshot.P95LatencyMs, 1, 2);
        Assert.InRange(snapshot.AverageLatencyMs, 250, 252);
    }

    [Fact]
    public void ErrorsFactoryCallsAndEvictionsAreCounted()
    {
        var statistics = new CacheStatistics("errors");
        statistics.Error("serialize");
        statistics.Error("l2.mget");
        statistics.FactoryCall();
        statistics.Eviction();
        statistics.Eviction();
        statistics.Eviction();
        statistics.DistributedAvailable = false;

        var snapshot = statistics.Snapshot(l1Entries: 4, l1Size: 400, l1SizeLimit: 1000);
        Assert.Equal(2, snapshot.Errors);
        Assert.Equal(1, snapshot.FactoryCalls);
        Assert.Equal(3, snapshot.L1Evictions);
        Assert.False(snapshot.DistributedCacheAvailable);
        Assert.Equal(4, snapshot.L1Entries);
        Assert.Equal(400, snapshot.L1Size);
        Assert.Equal(1000, snapshot.L1SizeLimit);
        statistics.Close();
    }
}
