namespace Hive.Caching;

/// <summary>
/// Values read for many keys with one MGET, handed to FusionCache's per-key reads in the same async
/// flow so it still does deserialization, expiry, tag checks and L1 population without another round trip.
/// </summary>
internal sealed class L2Prefetch(Dictionary<string, byte[]?> values)
{
    // Set when the GetMany call ends, so a background task that captured this flow never reads old bytes.
    private volatile bool _closed;

    private static readonly AsyncLocal<L2Prefetch?> CurrentScope = new();

    public static L2Prefetch? Current => CurrentScope.Value;

    public bool TryGet(string key, out byte[]? value)
    {
        value = null;
        return !_closed && values.TryGetValue(key, out value);
    }

    public static IDisposable Begin(L2Prefetch prefetch)
    {
        var previous = CurrentScope.Value;
        CurrentScope.Value = prefetch;
        return new Scope(prefetch, previous);
    }

    private sealed class Scope(L2Prefetch prefetch, L2Prefetch? previous) : IDisposable
    {
        public void Dispose()
        {
            prefetch._closed = true;
            CurrentScope.Value = previous;
        }
    }
}
