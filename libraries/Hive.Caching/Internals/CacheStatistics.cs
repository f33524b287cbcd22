using System.Diagnostics;

namespace Hive.Caching;

/// <summary>
/// Per-namespace counters behind both the OpenTelemetry instruments and <see cref="CacheStatisticsSnapshot"/>;
/// the snapshot needs process-local numbers that a metrics exporter does not give back.
/// </summary>
internal sealed class CacheStatistics
{
    private const int ReservoirSize = 2048;

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
    }

    public string Namespace { get; }

    public bool DistributedAvailable
    {
        get => _distributedAvailable;
        set => _distributedAvailable = value;
    }

    public void Hit(long count = 1)
    {
        if (count <= 0)
        {
            return;
        }

        Interlocked.Add(ref _hits, count);
        CacheMetrics.Hits.Add(count, _namespaceTag);
    }

    public void Miss(long count = 1)
    {
        if (count <= 0)
        {
            return;
        }

        Interlocked.Add(ref _misses, count);
        CacheMetrics.Misses.Add(count, _namespaceTag);
    }

    public void L1Hit()
    {
        Interlocked.Increment(ref _l1Hits);
        CacheMetrics.L1Hits.Add(1, _namespaceTag);
    }

    public void L2Hit()
    {
        Interlocked.Increment(ref _l2Hits);
        CacheMetrics.L2Hits.Add(1, _namespaceTag);
    }

    public void FactoryCall()
    {
        Interlocked.Increment(ref _factoryCalls);
        CacheMetrics.FactoryCalls.Add(1, _namespaceTag);
    }

    /// <summary>A fill whose tags were invalidated while it ran was not stored (or removed right after).</summary>
    public void StaleFillDropped() => CacheMetrics.StaleFillsDropped.Add(1, _namespaceTag);

    public void Eviction()
    {
        Interlocked.Increment(ref _evictions);
        CacheMetrics.L1Evictions.Add(1, _namespaceTag);
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

        var hits = Interlocked.Read(ref _hits);
        var misses = Interlocked.Read(ref _misses);
        var l1 = Interlocked.Read(ref _l1Hits);
        var l2 = Interlocked.Read(ref _l2Hits);
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
