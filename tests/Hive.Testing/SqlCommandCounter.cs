using System.Diagnostics;

namespace Hive.Testing;

/// <summary>
/// Counts the SQL commands Npgsql runs in this process whose text contains a marker, through Npgsql's own
/// activity source, so a test can assert how many queries really reached Postgres.
/// </summary>
public sealed class SqlCommandCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly string _marker;
    private int _count;

    public SqlCommandCounter(string marker)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        _marker = marker;
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
}
