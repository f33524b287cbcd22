namespace Hive.Caching;

/// <summary>What <see cref="IHiveCache.CheckRateLimitAsync"/> does when Redis cannot be reached.</summary>
public enum RateLimitFailureMode
{
    /// <summary>Fail open, but still limit each process on its own with an in-memory window of the same limit.</summary>
    LocalFallback,

    /// <summary>Allow every call.</summary>
    FailOpen,

    /// <summary>Deny every call.</summary>
    FailClosed,
}
