namespace Hive.Mobile.Caching;

/// <summary>A stored answer: the body bytes exactly as received, the validator to revalidate it, and when it was last confirmed.</summary>
internal sealed record CachedResponse(
    string Key,
    string Scope,
    ResourceKind Kind,
    byte[] Body,
    string? ETag,
    DateTimeOffset ValidatedAt)
{
    public bool IsFresh(DateTimeOffset now, TimeSpan lifetime) => now - ValidatedAt < lifetime;

    public CachedResponse Renewed(DateTimeOffset now) => this with { ValidatedAt = now };
}
