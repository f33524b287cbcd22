namespace Hive.Caching;

/// <summary>The Redis key prefix a service owns, for example <c>catalog</c>.</summary>
public sealed record CacheNamespace(string Name);
