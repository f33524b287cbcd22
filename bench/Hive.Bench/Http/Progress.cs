using System.Diagnostics;
using System.Globalization;

namespace Hive.Bench.Http;

/// <summary>
/// A line on stderr every few seconds while a long phase runs (phase, elapsed time, requests so far), so a
/// run of minutes is not silent. Stderr keeps the tables on stdout clean for copying into RESULTS.md.
/// </summary>
internal sealed class Progress : IDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private readonly string _phase;
    private readonly Func<long> _count;
    private readonly string _unit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer _timer;

    private Progress(string phase, Func<long> count, string unit)
    {
        _phase = phase;
        _count = count;
        _unit = unit;
        _timer = new Timer(_ => Report(), null, Every, Every);
    }

    /// <summary>Reports <paramref name="count"/> (read on the timer's thread, so it must be thread-safe) until disposed.</summary>
    public static Progress Start(string phase, Func<long> count, string unit = "requests") => new(phase, count, unit);

    private void Report() =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  .. {_phase}: {_clock.Elapsed.TotalSeconds:0} s, {_count():N0} {_unit} so far"));

    public void Dispose() => _timer.Dispose();
}
