using HdrHistogram;

namespace Hive.Bench.Http;

/// <summary>What one scenario measured: latencies in a histogram (microseconds), counts and wall time.</summary>
internal sealed class LoadResult(string name)
{
    private readonly LongConcurrentHistogram _latencyMicros = new(1, TimeStamp.Seconds(60), 3);
    private readonly LongConcurrentHistogram _sendLagMicros = new(1, TimeStamp.Seconds(60), 3);
    private long _errors;
    private long _ok;

    public string Name { get; } = name;

    public TimeSpan Elapsed { get; set; }

    public long Ok => Interlocked.Read(ref _ok);

    public long Errors => Interlocked.Read(ref _errors);

    public double Throughput => Elapsed.TotalSeconds > 0 ? (Ok + Errors) / Elapsed.TotalSeconds : 0;

    /// <summary>CPU seconds each group of processes used during this scenario's rounds (empty when not measured).</summary>
    public Dictionary<string, double> CpuSeconds { get; } = new(StringComparer.Ordinal);

    /// <summary>CPU microseconds per request by group of processes, largest first.</summary>
    public IReadOnlyDictionary<string, double> CpuMicrosPerRequest() => PerRequest(CpuSeconds, 1e6);

    /// <summary>Thread switches each group of processes made during this scenario's rounds (empty when not measured).</summary>
    public Dictionary<string, double> Switches { get; } = new(StringComparer.Ordinal);

    /// <summary>Thread switches per request by group of processes, largest first.</summary>
    public IReadOnlyDictionary<string, double> SwitchesPerRequest() => PerRequest(Switches, 1);

    private Dictionary<string, double> PerRequest(Dictionary<string, double> totals, double scale) =>
        Ok + Errors == 0
            ? new Dictionary<string, double>()
            : totals.Where(pair => pair.Value > 0).OrderByDescending(pair => pair.Value)
                .ToDictionary(pair => pair.Key, pair => pair.Value * scale / (Ok + Errors), StringComparer.Ordinal);

    public void AddCpu(Cpu.CpuLedger.Reading used)
    {
        Add(CpuSeconds, used.CpuSeconds);
        Add(Switches, used.Switches);

        static void Add(Dictionary<string, double> totals, Dictionary<string, double> used)
        {
            foreach (var (group, value) in used)
            {
                Cpu.CpuLedger.Add(totals, group, value);
            }
        }
    }

    public void Record(TimeSpan latency, bool success)
    {
        _latencyMicros.RecordValue(Math.Max(1, (long)(latency.TotalMicroseconds)));
        if (success)
        {
            Interlocked.Increment(ref _ok);
        }
        else
        {
            Interlocked.Increment(ref _errors);
        }
    }

    /// <summary>Open loop: how late the load generator itself sent a request after its intended time.</summary>
    public void RecordSendLag(TimeSpan lag) => _sendLagMicros.RecordValue(Math.Max(1, (long)lag.TotalMicroseconds));

    /// <summary>The load generator's own lateness at a percentile, in milliseconds (0 in a closed loop).</summary>
    public double SendLagPercentile(double percentile) => _sendLagMicros.TotalCount == 0 ? 0 : _sendLagMicros.GetValueAtPercentile(percentile) / 1000.0;

    /// <summary>Latency at a percentile, in milliseconds.</summary>
    public double Percentile(double percentile) => _latencyMicros.GetValueAtPercentile(percentile) / 1000.0;

    public double Mean => _latencyMicros.GetMean() / 1000.0;

    /// <summary>
    /// The whole latency percentile curve (percentile → ms), as HdrHistogram prints it: points close in as
    /// the percentile nears 100, five per halving of the distance, so the tail is drawn as finely as the middle.
    /// </summary>
    public IReadOnlyList<Figures.CurvePoint> Curve() =>
        [.. _latencyMicros.Percentiles(5)
            .Select(v => new Figures.CurvePoint(v.PercentileLevelIteratedTo, _latencyMicros.HighestEquivalentValue(v.ValueIteratedTo) / 1000.0))];
}
