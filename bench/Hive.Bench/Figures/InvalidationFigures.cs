namespace Hive.Bench.Figures;

/// <summary>What the invalidation experiment saves: the update rate and each service's commit-to-eviction lag per phase.</summary>
internal sealed record InvalidationFigures(int UpdatesPerSecond, double SecondsPerPhase, IReadOnlyList<LagFigures> Lags);

/// <summary>
/// One service's lag in one phase, as the service itself measured it (<c>/admin/invalidation/lag</c>), and the
/// same delays split by hop (absent in results saved before the services split them).
/// </summary>
internal sealed record LagFigures(
    string Phase, string Service, int UpdatesSent, int UpdatesFailed, long Evictions, int Samples, double P50Ms, double P95Ms, double P99Ms, double MaxMs,
    IReadOnlyDictionary<string, HopFigures>? Hops = null);

/// <summary>One hop's share of the lag: toBroker, delivery or evict.</summary>
internal sealed record HopFigures(int Samples, double P50Ms, double P95Ms, double P99Ms, double MaxMs);
