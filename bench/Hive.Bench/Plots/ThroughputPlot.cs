using System.Globalization;
using Hive.Bench.Figures;
using ScottPlot;

namespace Hive.Bench.Plots;

/// <summary>Requests per second of each path in one closed-loop run, each bar labelled with its ratio to the floor it is judged against.</summary>
internal static class ThroughputPlot
{
    /// <param name="floorOf">For a path, the name of the path it is compared with (null for a floor itself).</param>
    public static Plot Draw(string title, RunInfo run, ScenarioSet set, Func<string, string?> floorOf)
    {
        var plot = Chart.Create(title, run);
        var byName = set.Scenarios.ToDictionary(s => s.Name);
        var bars = set.Scenarios.Select((s, i) =>
        {
            var floor = floorOf(s.Name);
            var ratio = floor is not null && byName.TryGetValue(floor, out var f) && f.Throughput > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{s.Throughput / f.Throughput:0.00}x {Wrap(floor)}")
                : "floor";
            return new Bar
            {
                Position = i,
                Value = s.Throughput,
                FillColor = Chart.Colour(i),
                Label = string.Create(CultureInfo.InvariantCulture, $"{s.Throughput:N0}/s\n{ratio}"),
            };
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.SetTicks([.. bars.Select(b => b.Position)], [.. set.Scenarios.Select(s => Wrap(s.Name))]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.Label.Text = "requests per second";
        plot.Axes.Margins(bottom: 0, top: 0.25);
        return plot;
    }

    /// <summary>A floor's qualifier ("bare Kestrel (process)") on a line of its own, so six bars' labels do not run into each other.</summary>
    private static string Wrap(string name) => name.Replace(" (", "\n(", StringComparison.Ordinal);
}
