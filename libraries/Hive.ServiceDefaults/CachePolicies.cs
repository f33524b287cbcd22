using System.Globalization;

namespace Hive.ServiceDefaults;

/// <summary>
/// Every Cache-Control value the fleet sends, in one place. Public answers let phones and proxies on slow
/// networks reuse a body briefly, then revalidate with its ETag (a 304 costs no body); stale-while-revalidate
/// lets a client show what it has while it asks again. Anything per user is never stored.
/// </summary>
public static class CachePolicies
{
    /// <summary>One product: reused briefly, then revalidated.</summary>
    public const string Product = "public, max-age=60, stale-while-revalidate=300";

    /// <summary>Lists change with any of their products: short reuse, revalidate after.</summary>
    public const string List = "public, max-age=30, stale-while-revalidate=120";

    /// <summary>Reference data that barely changes (categories).</summary>
    public const string Reference = "public, max-age=300, stale-while-revalidate=3600";

    /// <summary>A URL whose content never changes (a versioned image): kept for a year.</summary>
    public const string Immutable = "public, max-age=31536000, immutable";

    /// <summary>Per-user or secret answers (a seller's own data, a login page, health reports): never stored.</summary>
    public const string NoStore = "no-store";

    /// <summary>Per-user answers that a shared cache must not keep either.</summary>
    public const string PrivateNoStore = "private, no-store";

    /// <summary>A public answer reused for <paramref name="maxAgeSeconds"/> (a configured or per-route lifetime).</summary>
    public static string Public(int maxAgeSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxAgeSeconds);
        return string.Create(CultureInfo.InvariantCulture, $"public, max-age={maxAgeSeconds}");
    }
}
