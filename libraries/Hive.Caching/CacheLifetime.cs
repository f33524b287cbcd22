namespace Hive.Caching;

/// <summary>
/// How long an entry lives: a <see cref="CacheDuration"/> tier or an explicit positive TTL. Converts
/// implicitly from both, so calls read <c>SetAsync(key, value, CacheDuration.Short)</c>.
/// </summary>
public readonly record struct CacheLifetime
{
    private CacheLifetime(TimeSpan ttl) => Ttl = ttl;

    public TimeSpan Ttl { get; }

    public static CacheLifetime FromTier(CacheDuration tier) => new(ToTimeSpan(tier));

    public static CacheLifetime FromTtl(TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The TTL must be positive, got {ttl}.", nameof(ttl));
        }

        return new(ttl);
    }

    public static implicit operator CacheLifetime(CacheDuration tier) => FromTier(tier);

    public static implicit operator CacheLifetime(TimeSpan ttl) => FromTtl(ttl);

    public static TimeSpan ToTimeSpan(CacheDuration tier) => tier switch
    {
        CacheDuration.Short => TimeSpan.FromMinutes(1),
        CacheDuration.Medium => TimeSpan.FromMinutes(5),
        CacheDuration.Long => TimeSpan.FromHours(1),
        CacheDuration.Day => TimeSpan.FromHours(24),
        CacheDuration.Week => TimeSpan.FromDays(7),
        _ => throw new ArgumentException($"Unknown cache duration tier {tier}.", nameof(tier)),
    };
}
