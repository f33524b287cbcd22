using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hive.Contracts;

namespace Hive.Messaging;

/// <summary>
/// Delay from a product change (its <c>OccurredAt</c>, taken in the committing transaction) to the eviction
/// in this service: an OpenTelemetry histogram for the dashboard plus the recent samples for
/// <c>/admin/invalidation/lag</c>, which the benchmark reads. Only changes made after this process
/// started count: an event from before (seeded rows, a backlog) measures how long the service was down,
/// not how fast invalidation is. Each delay is also split into its hops, so an operator (and the benchmark)
/// can see where a slow eviction spent its time: <c>toBroker</c> (commit, outbox wake-up, claim, until the
/// publisher stamped the message's SentTime), <c>delivery</c> (the broker and this service's consumer, until
/// the consumer began), <c>evict</c> (the version ledger and the service's evictions).
/// </summary>
public sealed class InvalidationLag
{
    public const string MeterName = "Hive.Messaging";
    private const int Capacity = 20_000;

    private readonly Histogram<double> _histogram;
    private readonly double[] _samples = new double[Capacity];
    // NaN where a sample's hops are unknown (no send stamp).
    private readonly double[][] _hops = [new double[Capacity], new double[Capacity], new double[Capacity]];
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

    /// <summary>The hops a delay is split into, in order.</summary>
    public static IReadOnlyList<string> HopNames { get; } = ["toBroker", "delivery", "evict"];

    /// <summary>
    /// Records the delay from <paramref name="occurredAt"/> to <paramref name="now"/> and its hops: the message
    /// was stamped sent at <paramref name="sentAt"/> and its consumer began at <paramref name="consumeStartedAt"/>
    /// (hops are left out when either is unknown). Nothing is recorded for a change that predates this process.
    /// </summary>
    public bool Record(ProductChangeKind kind, DateTimeOffset occurredAt, DateTimeOffset? sentAt, DateTimeOffset? consumeStartedAt, DateTimeOffset now)
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

        var ms = Math.Max(0, (now - occurredAt).TotalMilliseconds);
        _histogram.Record(ms);
        lock (_lock)
        {
            var slot = (int)(_count % Capacity);
            _samples[slot] = ms;
            var known = sentAt is not null && consumeStartedAt is not null;
            // Clocks of two processes on one host: a hop may come out a little negative; it counts as zero.
            _hops[0][slot] = known ? Math.Max(0, (sentAt!.Value - occurredAt).TotalMilliseconds) : double.NaN;
            _hops[1][slot] = known ? Math.Max(0, (consumeStartedAt!.Value - sentAt!.Value).TotalMilliseconds) : double.NaN;
            _hops[2][slot] = known ? Math.Max(0, (now - consumeStartedAt!.Value).TotalMilliseconds) : double.NaN;

            _count++;
        }

        return true;
    }

    public LagSnapshot Snapshot(bool reset)
    {
        double[] window;
        double[][] hops;
        long total;
        lock (_lock)
        {
            total = _count;
            var length = (int)Math.Min(_count, Capacity);
            window = _samples.AsSpan(0, length).ToArray();
            hops = [.. _hops.Select(hop => hop.Take(length).Where(ms => !double.IsNaN(ms)).ToArray())];
            if (reset)
            {
                _count = 0;
            }
        }

        var overall = LagPercentiles.Of(window);
        return new LagSnapshot(total, window.Length, overall.P50Ms, overall.P95Ms, overall.P99Ms, overall.MaxMs, Interlocked.Read(ref _before), StartedAt,
            Enum.GetValues<ProductChangeKind>().ToDictionary(k => k.ToString(), k => Interlocked.Read(ref _byKind[(int)k])),
            HopNames.Select((name, i) => (name, i)).ToDictionary(h => h.name, h => LagPercentiles.Of(hops[h.i])));
    }
}

/// <summary>Percentiles of a set of delays (nearest rank); all zero when there are none.</summary>
public sealed record LagPercentiles(int Samples, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    /// <summary>Sorts <paramref name="delays"/> in place and reads its percentiles.</summary>
    public static LagPercentiles Of(double[] delays)
    {
        ArgumentNullException.ThrowIfNull(delays);
        Array.Sort(delays);
        double At(double p) => delays.Length == 0 ? 0 : delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(p / 100 * delays.Length) - 1)];
        return new LagPercentiles(delays.Length, At(50), At(95), At(99), delays.Length == 0 ? 0 : delays[^1]);
    }
}

/// <summary>
/// Lag figures; <c>SkippedFromBeforeStart</c> counts events older than the process, left out; evictions per
/// event kind; <c>Hops</c> the same delays split by hop (<see cref="InvalidationLag.HopNames"/>).
/// </summary>
public sealed record LagSnapshot(
    long Evictions, int Samples, double P50Ms, double P95Ms, double P99Ms, double MaxMs, long SkippedFromBeforeStart, DateTimeOffset MeasuredSince,
    IReadOnlyDictionary<string, long> EvictionsByKind, IReadOnlyDictionary<string, LagPercentiles> Hops);
