using Hive.Bench.Figures;
using Hive.Bench.Floor;

namespace Hive.Bench.Plots;

/// <summary>
/// <c>Hive.Bench plot</c>: draws PNGs from the JSON the experiments saved. An experiment not run yet (no
/// file) is skipped with a note, so the command works after any subset of runs. Each figure goes into a
/// folder named after the day its run started (bench/plots/2026-11-26/...), so a later run does not
/// replace the figures an older section of RESULTS.md shows.
/// </summary>
internal static class PlotCommand
{
    public static async Task<int> RunAsync(string input, string output, TextWriter log, CancellationToken cancellationToken)
    {
        var written = new List<string>();

        if (await ResultsFile.LoadAsync<List<ScenarioSet>>(input, "hotpath", cancellationToken) is { } hot)
        {
            foreach (var set in hot.Results)
            {
                var name = set.Name.Replace(' ', '-');
                written.Add(Chart.Save(
                    LatencyCurvePlot.Draw($"Cached product GET, {set.Name}: latency by percentile", hot.Run, set, Floors.IsFloor),
                    Dated(output, hot.Run), $"hotpath-latency-{name}"));
            }

            if (hot.Results.FirstOrDefault(s => s.Name == "closed loop") is { } closed)
            {
                var names = closed.Scenarios.Select(s => s.Name).ToHashSet();
                string? FloorOf(string path) => Floors.FloorsOf(path).FirstOrDefault(names.Contains);
                written.Add(Chart.Save(ThroughputPlot.Draw("Cached product GET, closed loop: throughput", hot.Run, closed, FloorOf), Dated(output, hot.Run), "hotpath-throughput"));
            }
        }
        else
        {
            log.WriteLine($"no hotpath.json in {input}: run `hotpath` first");
        }

        if (await ResultsFile.LoadAsync<List<ScenarioSet>>(input, "coldwarm", cancellationToken) is { } coldWarm)
        {
            written.Add(Chart.Save(ColdWarmPlot.Draw("Cold against cached, through the gateway", coldWarm.Run, coldWarm.Results), Dated(output, coldWarm.Run), "coldwarm"));
        }
        else
        {
            log.WriteLine($"no coldwarm.json in {input}: run `coldwarm` first");
        }

        if (await ResultsFile.LoadAsync<InvalidationFigures>(input, "invalidation", cancellationToken) is { } invalidation)
        {
            written.Add(Chart.Save(InvalidationLagPlot.Draw($"Invalidation lag per service at {invalidation.Results.UpdatesPerSecond} updates/s", invalidation.Run, invalidation.Results), Dated(output, invalidation.Run), "invalidation-lag"));
        }
        else
        {
            log.WriteLine($"no invalidation.json in {input}: run `invalidation` first");
        }

        foreach (var path in written)
        {
            log.WriteLine($"wrote {path}");
        }

        return written.Count > 0 ? 0 : 1;
    }

    private static string Dated(string output, RunInfo run) =>
        Path.Combine(output, run.Started.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}
