namespace Hive.Mobile.Caching;

/// <summary>Where an answer came from.</summary>
public enum FetchSource
{
    Memory,
    Disk,
    Network,
}

/// <summary>
/// One answer of a read: the value, where it came from, when the server last confirmed it and whether its
/// lifetime has passed (a stale answer is shown while a fresh one is fetched).
/// </summary>
public sealed record Fetched<T>(T Value, FetchSource Source, DateTimeOffset ValidatedAt, bool IsStale);

/// <summary>How a read uses the cache.</summary>
public enum ReadMode
{
    /// <summary>A fresh cached answer is final; a stale one is shown, then revalidated.</summary>
    CacheFirst,

    /// <summary>The cached answer is shown, then always revalidated (pull to refresh, a screen opened again).</summary>
    Revalidate,
}
