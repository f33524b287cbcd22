using HdrHistogram;

namespace Hive.ServiceDefaults.RequestMetrics;

/// <summary>
/// The figures of one route template. Requests only touch atomic counters and an HdrHistogram
/// <see cref="Recorder"/> (lock-free for writers); the reader side (a tick every few seconds or a
/// snapshot) folds the recorder's interval histogram into the running one under this route's own lock.
/// </summary>
internal sealed class RouteRecorder
{
    /// <summary>Latencies are kept in microseconds, from 1 µs to 10 minutes, at 3 significant digits.</summary>
    private const long HighestMicros = 600_000_000;

    // One sample every TickSeconds; 5 minutes plus the current one.
    private const int RateSlots = (300 / RequestMetrics.TickSeconds) + 1;

    private readonly Recorder _recorder = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1).WithValuesUpTo(HighestMicros).WithPrecisionOf(3)
        .WithThreadSafeWrites().WithThreadSafeReads().Create();

    private readonly HistogramBase _total = new LongHistogram(1, HighestMicros, 3);
    private readonly long[] _countAt = new long[RateSlots];
    private readonly Lock _readerLock = new();
    private HistogramBase? _recycled;
    private long _ticks;
    private long _count;
    private long _clientErrors;
    private long _serverErrors;
    private long _slow;
    private long _sumMicros;

    public RouteRecorder(string route, TimeSpan slowThreshold)
    {
        Route = route;
        SlowThresholdSeconds = slowThreshold.TotalSeconds;
    }

    public string Route { get; }

    public double SlowThresholdSeconds { get; }

    /// <summary>The hot path: atomics only, no allocation.</summary>
    public bool Record(double seconds, int status)
    {
        var micros = Math.Clamp((long)(seconds * 1_000_000), 1, HighestMicros);
        _recorder.RecordValue(micros);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicros, micros);
        if (status >= 500)
        {
            Interlocked.Increment(ref _serverErrors);
        }
        else if (status >= 400)
        {
            Interlocked.Increment(ref _clientErrors);
        }

        if (seconds >= SlowThresholdSeconds)
        {
            Interlocked.Increment(ref _slow);
            return true;
        }

        return false;
    }

    /// <summary>Called every <see cref="RequestMetrics.TickSeconds"/>: remembers the count for the rates.</summary>
    public void Tick()
    {
        lock (_readerLock)
        {
            Fold();
            _ticks++;
            _countAt[_ticks % RateSlots] = Interlocked.Read(ref _count);
        }
    }

    public RouteStatistics Snapshot()
    {
        lock (_readerLock)
        {
            Fold();
            var count = Interlocked.Read(ref _count);
            var sum = Interlocked.Read(ref _sumMicros);
            return new RouteStatistics(
                Route,
                count,
                Rate(count, 60),
                Rate(count, 300),
                count == 0 ? 0 : Math.Round(sum / 1000.0 / count, 3),
                Millis(_total, 50),
                Millis(_total, 95),
                Millis(_total, 99),
                _total.TotalCount == 0 ? 0 : Math.Round(_total.GetMaxValue() / 1000.0, 3),
                Interlocked.Read(ref _clientErrors),
                Interlocked.Read(ref _serverErrors),
                Interlocked.Read(ref _slow),
                Math.Round(SlowThresholdSeconds * 1000, 1));
        }
    }

    /// <summary>Requests per second over the last <paramref name="seconds"/> (or since start, when younger).</summary>
    private double Rate(long countNow, int seconds)
    {
        var back = Math.Min(seconds / RequestMetrics.TickSeconds, _ticks);
        if (back == 0)
        {
            return 0;
        }

        // The count `back` ticks ago (slot 0 is the route's start, at count 0); requests since the last tick count too.
        var then = _countAt[(_ticks - back) % RateSlots];
        return Math.Round((countNow - then) / (double)(back * RequestMetrics.TickSeconds), 3);
    }

    private void Fold()
    {
        var interval = _recorder.GetIntervalHistogram(_recycled);
        _total.Add(interval);
        _recycled = interval;
    }

    private static double Millis(HistogramBase histogram, double percentile)
        => histogram.TotalCount == 0 ? 0 : Math.Round(histogram.GetValueAtPercentile(percentile) / 1000.0, 3);
}
