namespace Hive.Caching;

/// <summary>A held distributed lock. Disposing releases it if this holder still owns it.</summary>
public interface ICacheLock : IAsyncDisposable
{
    CacheKey Key { get; }

    /// <summary>Random per acquisition; only the holder with this token can release or extend.</summary>
    string Token { get; }

    /// <summary>Grows with every acquisition of this key; pass it to storage so stale holders can be rejected.</summary>
    long FencingToken { get; }

    /// <summary>Resets the TTL. False when the lock expired or is held by someone else.</summary>
    Task<bool> ExtendAsync(TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Releases the lock. False when it had already expired or moved to another holder.</summary>
    Task<bool> ReleaseAsync(CancellationToken cancellationToken = default);
}
