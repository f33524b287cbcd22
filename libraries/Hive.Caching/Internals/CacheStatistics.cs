using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hive.Caching;

/// <summary>
/// Per-namespace counters behind both the OpenTelemetry instruments and <see cref="CacheStatisticsSnapshot"/>;
/// the snapshot needs process-local numbers that a metrics exporter does not give back.
/// </summary>
internal sealed class CacheStatistics
{
    private const int ReservoirSize = 2048;

    // The caches of this process, for the observable counters of CacheMetrics.
    private static readonly ConcurrentDictionary<CacheStatistics, byte> Live = new();

    private readonly KeyValuePair<string, object?> _namespaceTag;
    private readonly double[] _latencies = new double[ReservoirSize];
    private readonly Lock _latencyLock = new();
    private long _hits;
    private long _misses;
    private long _l1Hits;
    private long _l2Hits;
    private long _factoryCalls;
    private long _errors;
    private long _evictions;
    private long _latencyCount;
    private double _latencyTotal;
    private volatile bool _distributedAvailable = true;

    public CacheStatistics(string @namespace)
    {
        Namespace = @namespace;
        _namespaceTag = new("namespace", @namespace);
        Live[this] = 0;
        CacheMetrics.EnsurePublished();
    }

    public string Namespace { get; }

    public bool DistributedAvailable
    {
        get => _distributedAvailable;
        set => _distributedAvailable = value;
    }

    /// <summary>A read answered from Redis (its L2 hit is counted by FusionCache's event) or by a fill another caller made meanwhile.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public long L1Hits => Interlocked.Read(ref _l1Hits);

    public long L2Hits => Interlocked.Read(ref _l2Hits);

    public long FactoryCalls => Interlocked.Read(ref _factoryCalls);

    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>One measurement per namespace, summed over this process's caches of it.</summary>
    public static IEnumerable<Measurement<long>> Observe(Func<CacheStatistics, long> count)
    {
        foreach (var space in Live.Keys.GroupBy(s => s.Namespace, StringComparer.Ordinal))
        {
            yield return new Measurement<long>(space.Sum(count), space.First()._namespaceTag);
        }
    }

    /// <summary>The cache was disposed: its counts are no longer observed.</summary>
    public void Close() => Live.TryRemove(this, out _);

    public void Hit() => Interlocked.Increment(ref _hits);

    public void Miss(long count = 1)
    {
        if (count <= 0)
        {
            return;
        }

        Interlocked.Add(ref _misses, count);
    }

    /// <summary>
    /// A read answered from memory: counted as a hit and as an L1 hit, with no duration. The duration
    /// histogram's first bucket (5 ms) cannot tell a sub-microsecond memory read from a Redis round trip, and
    /// recording it was a third of an L1 hit's cost; durations describe the reads that left memory.
    /// </summary>
    public void L1Hit()
    {
        Interlocked.Increment(ref _hits);
        Interlocked.Increment(ref _l1Hits);
    }

    public void L2Hit()
    {
        Interlocked.Increment(ref _l2Hits);
    }

    public void FactoryCall()
    {
        Interlocked.Increment(ref _factoryCalls);
    }

    /// <summary>A fill whose tags were invalidated while it ran was not stored (or removed right after).</summary>
    public void StaleFillDropped(int count = 1) => CacheMetrics.StaleFillsDropped.Add(count, _namespaceTag);

    public void Eviction()
    {
        Interlocked.Increment(ref _evictions);
    }

    public void Error(string operation)
    {
        Interlocked.Increment(ref _errors);
        CacheMetrics.Errors.Add(1, _namespaceTag, new("operation", operation));
    }

    public void Elapsed(string operation, long startTimestamp)
    {
        var ms = Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
        CacheMetrics.Duration.Record(ms, _namespaceTag, new("operation", operation));
        lock (_latencyLock)
        {
            _latencies[_latencyCount % ReservoirSize] = ms;
            _latencyCount++;
            _latencyTotal += ms;
        }
    }

    public CacheStatisticsSnapshot Snapshot(long l1Entries = 0, long l1Size = 0, long l1SizeLimit = 0)
    {
        double average;
        double p95;
        lock (_latencyLock)
        {
            average = _latencyCount == 0 ? 0 : _latencyTotal / _latencyCount;
            var n = (int)Math.Min(_latencyCount, ReservoirSize);
            if (n == 0)
            {
                p95 = 0;
            }
            else
            {
                var sorted = _latencies[..n];
                Array.Sort(sorted);
                p95 = sorted[Math.Min(n - 1, (int)Math.Ceiling(n * 0.95) - 1)];
            }
        }

        var hits = Hits;
        var misses = Misses;
        var l1 = L1Hits;
        var l2 = L2Hits;
        var reads = hits + misses;
        return new CacheStatisticsSnapshot(
            Namespace,
            hits,
            misses,
            reads == 0 ? 0 : (double)hits / reads,
            l1,
            l2,
            reads == 0 ? 0 : (double)l1 / reads,
            reads == 0 ? 0 : (double)l2 / reads,
            Interlocked.Read(ref _factoryCalls),
            Interlocked.Read(ref _errors),
            average,
            p95,
            _distributedAvailable,
            DateTimeOffset.UtcNow)
        {
            L1Entries = l1Entries,
            L1Size = l1Size,
            L1SizeLimit = l1SizeLimit,
            L1Evictions = Interlocked.Read(ref _evictions),
        };
    }
}
