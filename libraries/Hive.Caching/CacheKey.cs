namespace Hive.Caching;

/// <summary>
/// A key inside one service's namespace, <c>{service}:{entity}:{id}</c>. Only <see cref="CacheKeyBuilder"/>
/// makes them, so user input is always encoded before it becomes part of a Redis key.
/// </summary>
public readonly record struct CacheKey
{
    internal CacheKey(string @namespace, string entity, string local)
    {
        Namespace = @namespace;
        Entity = entity;
        Local = local;
    }

    /// <summary>The service namespace, for example <c>catalog</c>.</summary>
    public string Namespace { get; }

    /// <summary>The entity, for example <c>product</c>.</summary>
    public string Entity { get; }

    /// <summary>The key inside the namespace: <c>{entity}:{encoded id}</c>.</summary>
    public string Local { get; }

    /// <summary>The full Redis key, <c>{service}:{entity}:{encoded id}</c>.</summary>
    public string Value => IsEmpty ? string.Empty : $"{Namespace}:{Local}";

    internal bool IsEmpty => string.IsNullOrEmpty(Local);

    public override string ToString() => Value;
}
