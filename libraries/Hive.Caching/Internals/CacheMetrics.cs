using System.Diagnostics.Metrics;

namespace Hive.Caching;

/// <summary>The OpenTelemetry instruments of the library; every measurement carries the <c>namespace</c> tag.</summary>
internal static class CacheMetrics
{
    public const string MeterName = "Hive.Caching";

    public static readonly Meter Meter = new(MeterName, "1.0");

    // The read counters are observed at collection time from the exact counts every cache keeps anyway
    // (CacheStatistics): a counter added to on every read cost an L1 hit about 60 ns per instrument once an
    // OpenTelemetry meter provider listened.
    public static readonly ObservableCounter<long> Hits = Meter.CreateObservableCounter("hive.cache.hits", () => CacheStatistics.Observe(s => s.Hits), "{hit}", "Cache reads answered from L1 or L2 without the factory.");

    public static readonly ObservableCounter<long> Misses = Meter.CreateObservableCounter("hive.cache.misses", () => CacheStatistics.Observe(s => s.Misses), "{miss}", "Cache reads that found nothing (or ran the factory).");

    public static readonly ObservableCounter<long> L1Hits = Meter.CreateObservableCounter("hive.cache.l1.hits", () => CacheStatistics.Observe(s => s.L1Hits), "{hit}", "Reads answered by the in-process memory cache.");

    public static readonly ObservableCounter<long> L2Hits = Meter.CreateObservableCounter("hive.cache.l2.hits", () => CacheStatistics.Observe(s => s.L2Hits), "{hit}", "Reads answered by Redis.");

    public static readonly ObservableCounter<long> FactoryCalls = Meter.CreateObservableCounter("hive.cache.factory.calls", () => CacheStatistics.Observe(s => s.FactoryCalls), "{call}", "Factory executions on a miss.");

    public static readonly ObservableCounter<long> L1Evictions = Meter.CreateObservableCounter("hive.cache.l1.evictions", () => CacheStatistics.Observe(s => s.Evictions), "{entry}", "Memory entries evicted or refused because the L1 budget was full.");

    public static readonly Counter<long> StaleFillsDropped = Meter.CreateCounter<long>("hive.cache.stale_fills_dropped", "{fill}", "Fills not cached because a tag of theirs was invalidated while they ran.");

    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("hive.cache.errors", "{error}", "Redis, serialization and factory errors.");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("hive.cache.operation.duration", "ms", "Duration of cache operations as the caller sees them.");

    /// <summary>Creates the instruments (they are static fields, made on first use): the observable ones are touched by nothing else.</summary>
    public static void EnsurePublished() => GC.KeepAlive(Hits);
}
