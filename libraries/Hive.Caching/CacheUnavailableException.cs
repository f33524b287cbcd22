namespace Hive.Caching;

/// <summary>Redis could not be reached for an operation that has no safe local answer (counters, leaderboards).</summary>
public class CacheUnavailableException : Exception
{
    public CacheUnavailableException()
    {
    }

    public CacheUnavailableException(string message)
        : base(message)
    {
    }

    public CacheUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
