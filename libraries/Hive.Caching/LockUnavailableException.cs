namespace Hive.Caching;

/// <summary>
/// A distributed lock could not be acquired because Redis is unreachable. Distinct from "someone else
/// holds it" (which returns null) so callers never mistake an outage for contention.
/// </summary>
public sealed class LockUnavailableException : CacheUnavailableException
{
    public LockUnavailableException()
    {
    }

    public LockUnavailableException(string message)
        : base(message)
    {
    }

    public LockUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
