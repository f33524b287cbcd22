using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hive.Contracts;

namespace Hive.Messaging;

/// <summary>
/// Delay from a product change (its <c>OccurredAt</c>, taken in the committing transaction) to the eviction
/// in this service: an OpenTelemetry histogram for the dashboard plus the recent samples for
/// <c>/admin/invalidation/lag</c>, which the benchmark reads. Only changes made after this process
/// started count: an event from before (seeded rows, a backlog) measures how long the service was down,
/// not how fast invalidation is.
/// </summary>
public sealed class InvalidationLag
{
    public const string MeterName = "Hive.Messaging";
    private const int Capacity = 20_000;

    private readonly Histogram<double> _histogram;
    private readonly double[] _samples = new double[Capacity];
    private readonly Lock _lock = new();
    private long _count;
    private long _before;
    private readonly long[] _byKind = new long[Enum.GetValues<ProductChangeKind>().Length];

    public InvalidationLag(IMeterFactory meters)
    {
        _histogram = meters.Create(MeterName).CreateHistogram<double>(
            "hive.invalidation.lag", "ms", "Time from a product change to its eviction in this service");
    }

    /// <summary>When this process started; changes older than this are not lag.</summary>
    public static DateTimeOffset StartedAt { get; } = new(Process.GetCurrentProcess().StartTime.ToUniversalTime());

    /// <summary>Records the delay from <paramref name="occurredAt"/> to <paramref name="now"/>, unless the change predates this process.</summary>
    public bool Record(ProductChangeKind kind, DateTimeOffset occurredAt, DateTimeOffset now)
    {
        if ((int)kind >= 0 && (int)kind < _byKind.Length)
        {
            Interlocked.Increment(ref _byKind[(int)kind]);
        }

        if (occurredAt < StartedAt)
        {
            Interlocked.Increment(ref _before);
            return false;
        }

        Record(now - occurredAt);
        return true;
    }

    public void Record(TimeSpan lag)
    {
        var ms = Math.Max(0, lag.TotalMilliseconds);
        _histogram.Record(ms);
        lock (_lock)
        {
            _samples[_count % Capacity] = ms;
            _count++;
        }
    }

    public LagSnapshot Snapshot(bool reset)
    {
        double[] window;
        long total;
        lock (_lock)
        {
            total = _count;
            window = _samples.AsSpan(0, (int)Math.Min(_count, Capacity)).ToArray();
            if (reset)
            {
                _count = 0;
            }
        }

        Array.Sort(window);
        double At(double p) => window.Length == 0 ? 0 : window[Math.Min(window.Length - 1, (int)Math.Ceiling(p / 100 * window.Length) - 1)];
        return new LagSnapshot(total, window.Length, At(50), At(95), At(99), window.Length == 0 ? 0 : window[^1], Interlocked.Read(ref _before), StartedAt,
            Enum.GetValues<ProductChangeKind>().ToDictionary(k => k.ToString(), k => Interlocked.Read(ref _byKind[(int)k])));
    }
}

/// <summary>Lag figures; <c>SkippedFromBeforeStart</c> counts events older than the process, left out; evictions per event kind.</summary>
public sealed record LagSnapshot(
    long Evictions, int Samples, double P50Ms, double P95Ms, double P99Ms, double MaxMs, long SkippedFromBeforeStart, DateTimeOffset MeasuredSince,
    IReadOnlyDictionary<string, long> EvictionsByKind);
