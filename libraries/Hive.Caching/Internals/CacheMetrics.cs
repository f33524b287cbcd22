using System.Diagnostics.Metrics;

namespace Hive.Caching;

/// <summary>The OpenTelemetry instruments of the library; every measurement carries the <c>namespace</c> tag.</summary>
internal static class CacheMetrics
{
    public const string MeterName = "Hive.Caching";

    public static readonly Meter Meter = new(MeterName, "1.0");

    public static readonly Counter<long> Hits = Meter.CreateCounter<long>("hive.cache.hits", "{hit}", "Cache reads answered from L1 or L2 without the factory.");

    public static readonly Counter<long> Misses = Meter.CreateCounter<long>("hive.cache.misses", "{miss}", "Cache reads that found nothing (or ran the factory).");

    public static readonly Counter<long> L1Hits = Meter.CreateCounter<long>("hive.cache.l1.hits", "{hit}", "Reads answered by the in-process memory cache.");

    public static readonly Counter<long> L2Hits = Meter.CreateCounter<long>("hive.cache.l2.hits", "{hit}", "Reads answered by Redis.");

    public static readonly Counter<long> FactoryCalls = Meter.CreateCounter<long>("hive.cache.factory.calls", "{call}", "Factory executions on a miss.");

    public static readonly Counter<long> L1Evictions = Meter.CreateCounter<long>("hive.cache.l1.evictions", "{entry}", "Memory entries evicted or refused because the L1 budget was full.");

    public static readonly Counter<long> StaleFillsDropped = Meter.CreateCounter<long>("hive.cache.stale_fills_dropped", "{fill}", "Fills not cached because a tag of theirs was invalidated while they ran.");

    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("hive.cache.errors", "{error}", "Redis, serialization and factory errors.");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("hive.cache.operation.duration", "ms", "Duration of cache operations as the caller sees them.");
}
