using Hive.Bench.Http;

namespace Hive.Bench.Figures;

/// <summary>One point of a latency percentile curve: at <see cref="Percentile"/> % of requests, latency ≤ <see cref="Ms"/>.</summary>
internal sealed record CurvePoint(double Percentile, double Ms);

/// <summary>What one load scenario measured, as saved to JSON: the headline figures and the whole percentile curve.</summary>
internal sealed record ScenarioFigures(
    string Name,
    long Requests,
    long Errors,
    double Seconds,
    double Throughput,
    double MeanMs,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    IReadOnlyList<CurvePoint> Curve,
    IReadOnlyDictionary<string, double>? CpuMicrosPerRequest = null,
    double? SendLagP99Ms = null,
    IReadOnlyDictionary<string, double>? SwitchesPerRequest = null)
{
    public static ScenarioFigures From(LoadResult result) => new(
        result.Name,
        result.Ok + result.Errors,
        result.Errors,
        result.Elapsed.TotalSeconds,
        result.Throughput,
        result.Mean,
        result.Percentile(50),
        result.Percentile(90),
        result.Percentile(99),
        result.Percentile(99.9),
        result.Percentile(100),
        result.Curve(),
        result.CpuSeconds.Count == 0 ? null : result.CpuMicrosPerRequest(),
        result.SendLagPercentile(99) is > 0 and var lag ? lag : null,
        result.Switches.Count == 0 ? null : result.SwitchesPerRequest());
}

/// <summary>A set of scenarios measured together (side by side in alternating rounds), e.g. the closed-loop run.</summary>
/// <param name="Name">What the set is, e.g. "closed loop" or "search".</param>
/// <param name="Settings">The load it ran under, in words (concurrency, counts, rate).</param>
internal sealed record ScenarioSet(string Name, string Settings, IReadOnlyList<ScenarioFigures> Scenarios)
{
    public static ScenarioSet From(string name, string settings, IReadOnlyList<LoadResult> results) =>
        new(name, settings, [.. results.Select(ScenarioFigures.From)]);
}
