using Hive.Caching;
using Hive.Messaging;
using Hive.ServiceDefaults;
using Hive.ServiceDefaults.RequestMetrics;
using Metrics.Api.Analytics;
using Metrics.Api.Infrastructure;
using Metrics.Api.Views;
using Microsoft.AspNetCore.OpenApi;

namespace Metrics.Api.Apis;

/// <summary>
/// Examples of the parts of the operators' views (a route's figures, a slow query, a queue, a view refresh...),
/// built from the real records; the aggregates are made of these, so a reader sees each part filled in.
/// The document test validates every example against its schema.
/// </summary>
internal static class MetricsApiExamples
{
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 26, 21, 0, 0, TimeSpan.Zero);
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    public static void Add(OpenApiOptions options)
    {
        options.AddExample(new RouteStatistics("GET /api/catalog/products/{id:long}", 18_204, 12.4, 11.9, 3.8, 2.1, 9.7, 24.5, 311.0, 57, 0, 3, 250));
        options.AddExample(new SlowRequest("GET /api/search/", "GET", 200, 412.6, TraceId, TakenAt.AddMinutes(-3)));
        options.AddExample(new FleetSlowRequest("search", "GET /api/search/", 200, 412.6, TraceId, TakenAt.AddMinutes(-3)));
        options.AddExample(new RedisOverview(true, TakenAt, 1_204_551, 88_310, 0.9317, 48_234_496, 268_435_456, 0, 15_022, 41, null));
        options.AddExample(new ConnectionUsage(18, 3, 15, 100, 0.18, new Dictionary<string, long> { ["active"] = 3, ["idle"] = 15 }));
        options.AddExample(new SlowQuery("SELECT p.id, p.name FROM catalog.products p WHERE p.category_id = $1 ORDER BY p.created_at DESC LIMIT $2", 9_412, 1.8, 96.3, 16_941.6, 188_240));
        options.AddExample(new QueueDepth(ProductChangedQueues.For("search"), true, 0, 2, 0));
        options.AddExample(new ViewRefresh("mv_category_counts", TakenAt.AddMinutes(-4), 182.5, 311, "metrics-7d9f"));
        options.AddExample(new AnalyticsIngestion(512_930, 0, 12));
        options.AddExample(new LagSnapshot(1_840, 1_024, 14.2, 48.9, 120.4, 611.0, 0, TakenAt.AddHours(-6),
            new Dictionary<string, long> { ["Updated"] = 1_702, ["Deleted"] = 21, ["Created"] = 117 },
            new Dictionary<string, LagPercentiles>
            {
                ["toBroker"] = new(1_024, 6.1, 21.0, 58.2, 402.7),
                ["delivery"] = new(1_024, 2.3, 9.8, 31.5, 166.0),
                ["evict"] = new(1_024, 4.9, 16.4, 29.9, 88.4),
            }));
        options.AddExample(new ServiceEvictions(true, new Dictionary<string, long> { ["Updated"] = 1_702, ["Deleted"] = 21 }, TakenAt));
        options.AddExample(new CacheStatisticsSnapshot("catalog", 903_114, 41_882, 0.9557, 812_002, 91_112, 0.8593, 0.0964, 41_870, 0, 0.42, 1.9, true, TakenAt)
        {
            L1Entries = 12_840,
            L1Size = 31_457_280,
            L1SizeLimit = 67_108_864,
            L1Evictions = 2_204,
        });
    }
}
