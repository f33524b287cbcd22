using System.Diagnostics;
using System.Globalization;

namespace Hive.Seeding;

/// <summary>
/// Shows seeding progress per table: a redrawn bar on an interactive terminal, otherwise a line every
/// few seconds (and one per finished table) so logs stay readable. Reports arrive synchronously from
/// the loader, so this needs no locking beyond its own state.
/// </summary>
public sealed class ConsoleSeedProgress : IProgress<SeedProgress>
{
    private const int BarWidth = 30;

    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly TimeSpan _lineInterval;
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private string? _table;

    /// <param name="writer">Defaults to standard error, so progress never mixes with piped output.</param>
    /// <param name="lineInterval">How often a non-interactive writer gets a line; defaults to 2 seconds.</param>
    public ConsoleSeedProgress(TextWriter? writer = null, TimeSpan? lineInterval = null)
    {
        _writer = writer ?? Console.Error;
        _interactive = writer is null && !Console.IsErrorRedirected;
        _lineInterval = lineInterval ?? TimeSpan.FromSeconds(2);
    }

    public void Report(SeedProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var newTable = value.Table != _table;
            _table = value.Table;
            if (_interactive)
            {
                _writer.Write("\r" + Format(value));
                if (value.Completed)
                {
                    _writer.WriteLine();
                }

                return;
            }

            if (newTable || value.Completed || _sinceLastLine.Elapsed >= _lineInterval)
            {
                _writer.WriteLine(Format(value));
                _sinceLastLine.Restart();
            }
        }
    }

    internal static string Format(SeedProgress value)
    {
        var filled = (int)Math.Round(value.Fraction * BarWidth);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"  {value.Table,-18} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {value.Fraction,4:P0} {value.Rows,11:N0}/{value.TotalRows:N0} rows {value.RowsPerSecond,10:N0} rows/s {value.Elapsed.TotalSeconds,6:0.0} s");
    }
}
