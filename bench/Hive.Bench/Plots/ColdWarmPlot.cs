using Hive.Bench.Figures;
using ScottPlot;

namespace Hive.Bench.Plots;

/// <summary>
/// For each endpoint, the cold request (nothing cached for it) beside the cached one, at p50 and p99, on a log
/// scale since cold search is two orders of magnitude above a cache hit. Each set holds [cold, cached].
/// </summary>
internal static class ColdWarmPlot
{
    private static readonly (string Legend, Func<ScenarioFigures, double> Value, int Scenario, int Colour)[] Series =
    [
        ("cold p50", s => s.P50Ms, 0, 3),
        ("cached p50", s => s.P50Ms, 1, 2),
        ("cold p99", s => s.P99Ms, 0, 1),
        ("cached p99", s => s.P99Ms, 1, 0),
    ];

    public static Plot Draw(string title, RunInfo run, IReadOnlyList<ScenarioSet> sets)
    {
        var plot = Chart.Create(title, run);
        var floor = Math.Floor(Chart.Log(sets.SelectMany(s => s.Scenarios).Min(s => s.P50Ms)));
        var bars = new List<Bar>();
        for (var g = 0; g < sets.Count; g++)
        {
            for (var k = 0; k < Series.Length; k++)
            {
                var ms = Series[k].Value(sets[g].Scenarios[Series[k].Scenario]);
                bars.Add(new Bar
                {
                    Position = (g * (Series.Length + 1)) + k,
                    Value = Chart.Log(ms),
                    ValueBase = floor,
                    FillColor = Chart.Colour(Series[k].Colour),
                    Label = Chart.Ms(ms),
                });
            }
        }

        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 10;
        plot.Axes.Bottom.SetTicks(
            [.. sets.Select((_, g) => (g * (Series.Length + 1)) + ((Series.Length - 1) / 2.0))], [.. sets.Select(s => s.Name)]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        Chart.LogMilliseconds(plot.Axes.Left, "latency, ms (log scale)");
        plot.Axes.Margins(bottom: 0, top: 0.15);
        foreach (var (legend, _, _, colour) in Series)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = legend, FillColor = Chart.Colour(colour) });
        }

        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
