namespace Hive.Caching;

/// <summary>
/// What a <see cref="IHiveCache.GetOrSetAsync{T}(CacheKey, Func{CacheEntryContext, CancellationToken, Task{T}}, CacheLifetime?, IReadOnlyCollection{CacheTag}?, CancellationToken)"/>
/// factory may decide once it has the value (adaptive caching): tags that depend on the value (the
/// products a search page shows), a different lifetime (a brief one for a "not found"), or not to cache at all.
/// </summary>
public sealed class CacheEntryContext
{
    private readonly List<CacheTag> _tags;
    private readonly string _namespace;

    internal CacheEntryContext(CacheKey key, CacheLifetime lifetime, IReadOnlyCollection<CacheTag>? tags)
    {
        Key = key;
        _namespace = key.Namespace;
        Lifetime = lifetime;
        _tags = tags is null ? [] : [.. tags];
    }

    /// <summary>The key being filled.</summary>
    public CacheKey Key { get; }

    /// <summary>How long the value will live; starts as the lifetime given to the call.</summary>
    public CacheLifetime Lifetime { get; private set; }

    /// <summary>The tags the entry will carry: the ones given to the call plus those added here.</summary>
    public IReadOnlyList<CacheTag> Tags => _tags;

    /// <summary>False after <see cref="DoNotCache"/>.</summary>
    public bool IsCacheable { get; private set; } = true;

    internal bool LifetimeChanged { get; private set; }

    public void AddTag(CacheTag tag)
    {
        if (tag.IsEmpty || !string.Equals(tag.Namespace, _namespace, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Tag '{tag}' does not belong to this cache's namespace '{_namespace}'; build it with IHiveCache.Keys.Tag.", nameof(tag));
        }

        if (!_tags.Contains(tag))
        {
            _tags.Add(tag);
        }
    }

    public void AddTags(IEnumerable<CacheTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            AddTag(tag);
        }
    }

    /// <summary>Sets a lifetime for this value only, for example a brief one for a negative answer.</summary>
    public void UseLifetime(CacheLifetime lifetime)
    {
        Lifetime = lifetime;
        LifetimeChanged = true;
    }

    /// <summary>
    /// The answer is "not found": cached only for <see cref="HiveCacheOptions.NegativeDuration"/>, so a flood of
    /// unknown ids costs one query each per short window, and a creation drops it through the tag it carries.
    /// </summary>
    public void MarkNotFound() => IsNotFound = true;

    internal bool IsNotFound { get; private set; }

    /// <summary>The value is returned to every waiting caller but not stored.</summary>
    public void DoNotCache() => IsCacheable = false;
}
