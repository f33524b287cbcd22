using System.Diagnostics;

namespace Hive.Testing;

/// <summary>
/// Counts the SQL commands Npgsql runs in this process whose text contains a marker, through Npgsql's own
/// activity source, so a test can assert how many queries really reached Postgres. Given the port of the
/// test's own Postgres, it counts only commands sent there: test classes with their own database run in
/// parallel in the same process, and their commands must not be counted.
/// </summary>
public sealed class SqlCommandCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly string _marker;
    private readonly int? _port;
    private int _count;

    public SqlCommandCounter(string marker, int? port = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        _marker = marker;
        _port = port;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose() => _listener.Dispose();

    private void OnStopped(Activity activity)
    {
        if (_port is { } port && !SentTo(activity, port))
        {
            return;
        }

        // The statement tag's name differs across semantic-convention versions; look at every string tag.
        foreach (var tag in activity.TagObjects)
        {
            if (tag.Value is string text && text.Contains(_marker, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
                return;
            }
        }

        if (activity.DisplayName.Contains(_marker, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _count);
        }
    }

    // The port tag is server.port in current conventions and net.peer.port in older ones; its value an int or text.
    private static bool SentTo(Activity activity, int port)
    {
        foreach (var tag in activity.TagObjects)
        {
            if (tag.Key.EndsWith(".port", StringComparison.Ordinal)
                && (tag.Value is int number ? number == port : tag.Value?.ToString() == port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                return true;
            }
        }

        return false;
    }
}
