namespace Hive.Caching;

/// <summary>The TTL tiers every service picks from; each gets jitter so entries written together do not expire together.</summary>
public enum CacheDuration
{
    /// <summary>1 minute.</summary>
    Short,

    /// <summary>5 minutes.</summary>
    Medium,

    /// <summary>1 hour.</summary>
    Long,

    /// <summary>24 hours.</summary>
    Day,

    /// <summary>7 days.</summary>
    Week,
}
