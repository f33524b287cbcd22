using Hive.Bench.Figures;
using ScottPlot;

namespace Hive.Bench.Plots;

/// <summary>Commit-to-eviction lag p50 and p99 per service and phase, with issue 17's p99 target drawn across.</summary>
internal static class InvalidationLagPlot
{
    private const double TargetP99Ms = 50;

    public static Plot Draw(string title, RunInfo run, InvalidationFigures figures)
    {
        var plot = Chart.Create(title, run);
        var bars = new List<Bar>();
        for (var g = 0; g < figures.Lags.Count; g++)
        {
            var lag = figures.Lags[g];
            bars.Add(new Bar { Position = (g * 3) + 0, Value = lag.P50Ms, FillColor = Chart.Colour(0), Label = Chart.Ms(lag.P50Ms) });
            bars.Add(new Bar { Position = (g * 3) + 1, Value = lag.P99Ms, FillColor = Chart.Colour(1), Label = Chart.Ms(lag.P99Ms) });
        }

        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.SetTicks(
            [.. figures.Lags.Select((_, g) => (g * 3) + 0.5)],
            [.. figures.Lags.Select(l => $"{l.Service}\n{l.Phase}")]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.Label.Text = "commit → eviction, ms";

        var target = plot.Add.HorizontalLine(TargetP99Ms, 1.5f, Colors.Gray, LinePattern.Dashed);
        target.LegendText = $"p99 target {TargetP99Ms:0} ms";
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "p50", FillColor = Chart.Colour(0) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "p99", FillColor = Chart.Colour(1) });
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
