namespace Hive.Caching;

/// <summary>
/// A tag attached to cache entries so a group can be invalidated at once. Tags match exactly:
/// <c>product:1</c> never touches <c>product:10</c>. Built by <see cref="CacheKeyBuilder"/>.
/// </summary>
public readonly record struct CacheTag
{
    internal CacheTag(string @namespace, string value)
    {
        Namespace = @namespace;
        Value = value;
    }

    public string Namespace { get; }

    /// <summary>The tag inside the namespace, <c>{entity}</c> or <c>{entity}:{encoded id}</c>.</summary>
    public string Value { get; }

    internal bool IsEmpty => string.IsNullOrEmpty(Value);

    public override string ToString() => IsEmpty ? string.Empty : $"{Namespace}:{Value}";
}
