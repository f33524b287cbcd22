namespace Hive.Caching;

/// <summary>A cache read that tells a miss apart from a cached default value.</summary>
public readonly record struct CacheResult<T>(bool HasValue, T? Value)
{
    public static CacheResult<T> Miss => default;
}
