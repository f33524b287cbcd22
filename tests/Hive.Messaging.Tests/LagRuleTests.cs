using System.Diagnostics.Metrics;
using Hive.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Hive.Messaging.Tests;

/// <summary>
/// What <c>/admin/invalidation/lag</c> and the benchmark read from <see cref="InvalidationLag"/>: the delay from
/// a change to its eviction, its nearest-rank percentiles, the window of recent samples, the hops a delay is
/// split into, and what is left out. Known delays in, known figures out.
/// </summary>
public sealed class LagRuleTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly InvalidationLag _lag;

    public LagRuleTests() => _lag = new InvalidationLag(_services.GetRequiredService<IMeterFactory>());

    public void Dispose() => _services.Dispose();

    private bool Evicted(double afterMs, ProductChangeKind kind = ProductChangeKind.Updated)
        => _lag.Record(kind, Now, null, null, Now.AddMilliseconds(afterMs));

    [Fact]
    public void EachEvictionIsTheDelayFromItsChangeAndThePercentilesAreNearestRank()
    {
        // Recorded out of order: 100 evictions 1 to 100 ms after their change.
        foreach (var ms in Enumerable.Range(1, 100).Reverse())
        {
            Assert.True(Evicted(ms));
        }

        var snapshot = _lag.Snapshot(reset: false);

        Assert.Equal(100, snapshot.Evictions);
        Assert.Equal(100, snapshot.Samples);
        Assert.Equal((50.0, 95.0, 99.0, 100.0), (snapshot.P50Ms, snapshot.P95Ms, snapshot.P99Ms, snapshot.MaxMs));
        Assert.Equal(0, snapshot.SkippedFromBeforeStart);
        Assert.Equal(InvalidationLag.StartedAt, snapshot.MeasuredSince);
    }

    [Theory]
    [InlineData(new double[0], 0, 0, 0, 0)]
    [InlineData(new[] { 7.5 }, 7.5, 7.5, 7.5, 7.5)]
    [InlineData(new[] { 3.0, 1.0 }, 1, 3, 3, 3)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2, 4, 4, 4)]
    public void PercentilesAreTheSmallestDelayAtOrAboveTheirShareAndZeroWithNoDelays(double[] delays, double p50, double p95, double p99, double max)
    {
        var percentiles = LagPercentiles.Of([.. delays]);

        Assert.Equal(new LagPercentiles(delays.Length, p50, p95, p99, max), percentiles);
    }

    [Fact]
    public void PercentilesOfNothingGivenAreRefused() => Assert.Throws<ArgumentNullException>(() => LagPercentiles.Of(null!));

    [Fact]
    public void AChangeFromBeforeTheProcessStartedIsCountedAsSkippedNotAsLag()
    {
        var before = InvalidationLag.StartedAt.AddSeconds(-1);

        Assert.False(_lag.Record(ProductChangeKind.Deleted, before, null, null, Now));
        Assert.True(_lag.Record(ProductChangeKind.Updated, InvalidationLag.StartedAt, null, null, InvalidationLag.StartedAt.AddMilliseconds(4)));

        var snapshot = _lag.Snapshot(reset: false);
        Assert.Equal(1, snapshot.SkippedFromBeforeStart);
        Assert.Equal(1, snapshot.Evictions);
        Assert.Equal(4, snapshot.MaxMs);
        // Every eviction counts under its kind, a skipped one too: it did evict.
        Assert.Equal(new Dictionary<string, long> { ["Created"] = 0, ["Updated"] = 1, ["Deleted"] = 1 }, snapshot.EvictionsByKind);
    }

    [Fact]
    public void EvictionsAreCountedUnderTheirKind()
    {
        Evicted(1, ProductChangeKind.Created);
        Evicted(1, ProductChangeKind.Updated);
        Evicted(1, ProductChangeKind.Updated);
        Evicted(1, ProductChangeKind.Deleted);
        Evicted(1, ProductChangeKind.Deleted);
        Evicted(1, ProductChangeKind.Deleted);

        Assert.Equal(new Dictionary<string, long> { ["Created"] = 1, ["Updated"] = 2, ["Deleted"] = 3 }, _lag.Snapshot(reset: false).EvictionsByKind);
    }

    [Fact]
    public void AnEvictionOfAKindThisVersionDoesNotKnowIsStillTimedButCountedUnderNoKind()
    {
        // A newer publisher may add a kind: the consumer must not fail on it.
        Assert.True(_lag.Record((ProductChangeKind)7, Now, null, null, Now.AddMilliseconds(3)));
        Assert.True(_lag.Record((ProductChangeKind)(-1), Now, null, null, Now.AddMilliseconds(3)));

        var snapshot = _lag.Snapshot(reset: false);
        Assert.Equal(2, snapshot.Samples);
        Assert.All(snapshot.EvictionsByKind.Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public void AnEvictionStampedBeforeItsChangeCountsAsNoDelay()
    {
        // The change's time comes from the database's clock, the eviction's from this process's.
        Evicted(-3);

        var snapshot = _lag.Snapshot(reset: false);
        Assert.Equal((1, 0.0), (snapshot.Samples, snapshot.MaxMs));
    }

    [Fact]
    public void ADelayIsSplitIntoItsHopsWhichAreLeftOutWhenAStampIsMissing()
    {
        // 30 ms to the broker, 50 ms in delivery, 20 ms to evict.
        _lag.Record(ProductChangeKind.Updated, Now, Now.AddMilliseconds(30), Now.AddMilliseconds(80), Now.AddMilliseconds(100));
        // Stamps of two processes' clocks can disagree by a little: a hop that comes out negative is zero.
        _lag.Record(ProductChangeKind.Updated, Now, Now.AddMilliseconds(-2), Now.AddMilliseconds(10), Now.AddMilliseconds(8));
        // No send stamp, or no consumer start: the whole delay counts, its hops are unknown.
        _lag.Record(ProductChangeKind.Updated, Now, null, Now.AddMilliseconds(10), Now.AddMilliseconds(500));
        _lag.Record(ProductChangeKind.Updated, Now, Now.AddMilliseconds(10), null, Now.AddMilliseconds(600));

        var snapshot = _lag.Snapshot(reset: false);

        Assert.Equal(4, snapshot.Samples);
        Assert.Equal(600, snapshot.MaxMs);
        Assert.Equal(InvalidationLag.HopNames, snapshot.Hops.Keys);
        Assert.Equal(new LagPercentiles(2, 0, 30, 30, 30), snapshot.Hops["toBroker"]);
        Assert.Equal(new LagPercentiles(2, 12, 50, 50, 50), snapshot.Hops["delivery"]);
        Assert.Equal(new LagPercentiles(2, 0, 20, 20, 20), snapshot.Hops["evict"]);
    }

    [Fact]
    public void AReadLeavesTheFiguresAndAResetReadsThemThenStartsAgain()
    {
        Evicted(10);
        Evicted(20);

        Assert.Equal(_lag.Snapshot(reset: false) with { EvictionsByKind = null!, Hops = null! }, _lag.Snapshot(reset: false) with { EvictionsByKind = null!, Hops = null! });
        var reset = _lag.Snapshot(reset: true);
        Assert.Equal((2, 2, 20.0), (reset.Evictions, reset.Samples, reset.MaxMs));

        var after = _lag.Snapshot(reset: false);
        Assert.Equal((0, 0, 0.0, 0.0), (after.Evictions, after.Samples, after.P99Ms, after.MaxMs));
        Assert.All(after.Hops.Values, hop => Assert.Equal(0, hop.Samples));

        Evicted(5);
        Assert.Equal((1, 5.0), (_lag.Snapshot(reset: false).Samples, _lag.Snapshot(reset: false).MaxMs));
    }

    [Fact]
    public void TheWindowKeepsTheLatestTwentyThousandEvictions()
    {
        for (var i = 0; i < 20_000; i++)
        {
            Evicted(900, ProductChangeKind.Created);
        }

        // As many again, faster, with their hops: they replace every older sample and its hops.
        for (var i = 0; i < 20_000; i++)
        {
            _lag.Record(ProductChangeKind.Updated, Now, Now.AddMilliseconds(1), Now.AddMilliseconds(2), Now.AddMilliseconds(7));
        }

        var snapshot = _lag.Snapshot(reset: false);
        Assert.Equal(40_000, snapshot.Evictions);
        Assert.Equal(20_000, snapshot.Samples);
        Assert.Equal((7.0, 7.0), (snapshot.P50Ms, snapshot.MaxMs));
        Assert.Equal(new LagPercentiles(20_000, 5, 5, 5, 5), snapshot.Hops["evict"]);
    }

    [Fact]
    public void EachEvictionIsAlsoRecordedInTheLagHistogramForTheDashboard()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        var recorded = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Only this test's meter: other tests' lags record into meters of the same name.
                if (instrument.Meter.Scope == factory && instrument.Name == "hive.invalidation.lag")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            Assert.Equal(("ms", InvalidationLag.MeterName), (instrument.Unit, instrument.Meter.Name));
            lock (recorded)
            {
                recorded.Add(value);
            }
        });
        listener.Start();

        Evicted(12);
        Evicted(-1);
        _lag.Record(ProductChangeKind.Updated, InvalidationLag.StartedAt.AddSeconds(-5), null, null, Now);

        Assert.Equal([12.0, 0.0], recorded);
    }
}
