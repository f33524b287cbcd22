using Hive.Caching;
using Hive.Contracts;

namespace Hive.Messaging.Analytics;

/// <summary>
/// The Redis leaderboards the metrics service keeps from analytics events and catalog's trending reads:
/// a weighted score (purchases weigh most), views and purchased quantities per product, each for all time,
/// this hour, today and this week. They live in the metrics namespace, their writer's.
/// </summary>
public static class TrendingBoards
{
    public const string Namespace = "metrics";
    public const string Entity = "trending";

    private static readonly CacheKeyBuilder Keys = new(Namespace);

    public static CacheKey Score { get; } = Keys.For(Entity, "score");

    public static CacheKey Views { get; } = Keys.For(Entity, "views");

    public static CacheKey Purchases { get; } = Keys.For(Entity, "purchases");

    /// <summary>What one event adds to a product's trending score; the same weights as catalog's Postgres fallback.</summary>
    public static int Weight(AnalyticsEventType type) => type switch
    {
        AnalyticsEventType.Purchase => 10,
        AnalyticsEventType.AddToCart => 4,
        AnalyticsEventType.Click => 2,
        AnalyticsEventType.View => 1,
        _ => 0,
    };
}
