using System.Globalization;
using System.Runtime.InteropServices;

namespace Hive.Bench.Figures;

/// <summary>
/// Where and how a run was measured, saved with its figures: on a shared machine the load average
/// decides how far the absolute numbers can be trusted, so readers need it beside them.
/// </summary>
/// <param name="Started">When the experiment started (UTC).</param>
/// <param name="Finished">When its figures were saved (UTC).</param>
/// <param name="Cores">Logical processors the bench process saw.</param>
/// <param name="LoadAverageAtStart">1, 5 and 15 minute load averages from /proc/loadavg at the start (empty off Linux).</param>
/// <param name="LoadAverageAtEnd">The same at the end.</param>
/// <param name="Environment">The fleet's environment (Development, Production), or "local" for in-process runs.</param>
/// <param name="Build">The bench's own build configuration.</param>
/// <param name="CommandLine">The arguments Hive.Bench was started with.</param>
internal sealed record RunInfo(
    DateTimeOffset Started,
    DateTimeOffset Finished,
    int Cores,
    string Os,
    string Runtime,
    double[] LoadAverageAtStart,
    double[] LoadAverageAtEnd,
    string Environment,
    string Build,
    string CommandLine)
{
    /// <summary>Starts the record of a run: the time, the machine and its load now.</summary>
    public static RunInfo Begin(string environment) => new(
        DateTimeOffset.UtcNow,
        DateTimeOffset.UtcNow,
        System.Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        LoadAverage(),
        [],
        environment,
#if DEBUG
        "Debug",
#else
        "Release",
#endif
        "Hive.Bench " + string.Join(' ', System.Environment.GetCommandLineArgs().Skip(1)));

    /// <summary>The same record closed now: end time and load at the end.</summary>
    public RunInfo End() => this with { Finished = DateTimeOffset.UtcNow, LoadAverageAtEnd = LoadAverage() };

    public string Describe()
    {
        static string Load(double[] load) => load.Length == 0 ? "n/a" : string.Join(" / ", load.Select(l => l.ToString("0.0", CultureInfo.InvariantCulture)));
        return string.Create(CultureInfo.InvariantCulture,
            $"{Started:yyyy-MM-dd HH:mm} UTC, {Cores} cores, load average {Load(LoadAverageAtStart)} → {Load(LoadAverageAtEnd)}, {Environment}");
    }

    /// <summary>One short line for a figure's title: date, cores, 1-minute load at start and end, environment.</summary>
    public string Caption() => string.Create(CultureInfo.InvariantCulture,
        $"{Started:yyyy-MM-dd HH:mm} UTC, {Cores} cores, load {(LoadAverageAtStart.Length > 0 ? LoadAverageAtStart[0] : double.NaN):0} → {(LoadAverageAtEnd.Length > 0 ? LoadAverageAtEnd[0] : double.NaN):0}, {Environment}");

    private static double[] LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return [];
        }

        return [.. File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
    }
}
