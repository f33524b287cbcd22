using System.Globalization;
using Hive.Bench.Figures;
using ScottPlot;

namespace Hive.Bench.Plots;

/// <summary>What every figure shares: its size, a title that says when and under what load it was measured, and log axes.</summary>
internal static class Chart
{
    // Small enough to sit in a README; large enough to read the labels.
    public const int Width = 800;
    public const int Height = 450;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static Plot Create(string title, RunInfo run)
    {
        var plot = new Plot();
        plot.Title($"{title}\n{run.Caption()}", size: 14);
        return plot;
    }

    public static string Save(Plot plot, string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        plot.SavePng(path, Width, Height);
        return path;
    }

    /// <summary>
    /// ScottPlot has no log axis: values are drawn as log10 and the ticks labelled with the real value,
    /// a major tick per power of ten and minor ticks between (the way its own cookbook does it). The log is
    /// taken of microseconds so that every latency is positive on the axis (ScottPlot puts the label of a
    /// negative bar below it).
    /// </summary>
    public static void LogMilliseconds(IAxis axis, string label)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = v => Math.Pow(10, v - 3).ToString("0.###", C),
        };
        axis.Label.Text = label;
    }

    /// <summary>A latency in ms as drawn on a <see cref="LogMilliseconds"/> axis.</summary>
    public static double Log(double ms) => Math.Log10(Math.Max(ms * 1000, 1));

    public static string Ms(double ms) => ms.ToString(ms >= 100 ? "0" : ms >= 10 ? "0.#" : "0.##", C);

    public static Color Colour(int index) => new ScottPlot.Palettes.Category10().GetColor(index);
}
