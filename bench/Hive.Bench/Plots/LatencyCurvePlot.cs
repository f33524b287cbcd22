using Hive.Bench.Figures;
using ScottPlot;

namespace Hive.Bench.Plots;

/// <summary>
/// Latency against percentile for each path of a run, drawn as HdrHistogram's plotter draws it: the x axis is
/// 1 / (1 − percentile) on a log scale, so 90 %, 99 % and 99.9 % are evenly spaced and the tail gets as much
/// room as the median. The floor paths (bare Kestrel, bare relay) are dashed so Hive's paths read against them.
/// </summary>
internal static class LatencyCurvePlot
{
    private static readonly (double Percentile, string Label)[] Ticks =
        [(50, "50%"), (90, "90%"), (99, "99%"), (99.9, "99.9%"), (99.99, "99.99%"), (99.999, "99.999%")];

    public static Plot Draw(string title, RunInfo run, ScenarioSet set, Func<string, bool> isFloor)
    {
        var plot = Chart.Create(title, run);
        for (var i = 0; i < set.Scenarios.Count; i++)
        {
            var scenario = set.Scenarios[i];
            var top = Top(scenario);
            var points = scenario.Curve.Select(p => (Percentile: Math.Min(p.Percentile, top), p.Ms)).ToArray();
            double[] xs = [.. points.Select(p => X(p.Percentile))];
            double[] ys = [.. points.Select(p => Chart.Log(p.Ms))];
            var line = plot.Add.ScatterLine(xs, ys, Chart.Colour(i));
            line.LineWidth = 2;
            line.LinePattern = isFloor(scenario.Name) ? LinePattern.Dashed : LinePattern.Solid;
            line.LegendText = $"{scenario.Name}: p50 {Chart.Ms(scenario.P50Ms)}, p99 {Chart.Ms(scenario.P99Ms)} ms";
        }

        var highest = set.Scenarios.Max(Top);
        var visible = Ticks.Where(t => t.Percentile <= highest).ToArray();
        plot.Axes.Bottom.SetTicks([.. visible.Select(t => X(t.Percentile))], [.. visible.Select(t => t.Label)]);
        plot.Axes.Bottom.Label.Text = "percentile";
        Chart.LogMilliseconds(plot.Axes.Left, "latency, ms (log scale)");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>The last point of a curve is 100 %, at infinity on this axis: it is drawn at 1 − 1/N, where the maximum of N requests sits.</summary>
    private static double Top(ScenarioFigures scenario) => 100 * (1 - (1.0 / Math.Max(2, scenario.Requests)));

    private static double X(double percentile) => Math.Log10(100 / (100 - percentile));
}
