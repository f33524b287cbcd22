using Hive.Contracts;

namespace Hive.Messaging;

/// <summary>Where analytics batches go: one durable queue the metrics service consumes.</summary>
public static class AnalyticsQueues
{
    public const string Events = "metrics-analytics-events";

    public static string Exchange => $"{typeof(AnalyticsBatch).Namespace}:{nameof(AnalyticsBatch)}";
}
