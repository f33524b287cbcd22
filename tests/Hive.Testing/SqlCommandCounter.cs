using System.Diagnostics;

namespace Hive.Testing;

/// <summary>
/// Counts the SQL commands Npgsql runs in this process whose text contains a marker, through Npgsql's own
/// activity source, so a test can assert how many queries really reached Postgres. Only commands sent to the
/// test's own Postgres (by its port) count: test classes with their own database run in parallel in the same
/// process, and their commands must not be counted.
/// </summary>
public sealed class SqlCommandCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly string _marker;
    private readonly string _port;
    private int _count;

    public SqlCommandCounter(string marker, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        _marker = marker;
        _port = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
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
        if (!SentToOwnPostgres(activity))
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
    private bool SentToOwnPostgres(Activity activity)
    {
        foreach (var tag in activity.TagObjects)
        {
            if (tag.Key.EndsWith(".port", StringComparison.Ordinal)
                && Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) == _port)
            {
                return true;
            }
        }

        return false;
    }
}
