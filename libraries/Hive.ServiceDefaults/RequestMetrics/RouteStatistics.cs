namespace Hive.ServiceDefaults.RequestMetrics;

/// <summary>One route's figures since the service started; rates over the last 1 and 5 minutes.</summary>
public sealed record RouteStatistics(
    string Route,
    long Count,
    double RatePerSecond1m,
    double RatePerSecond5m,
    double AverageMs,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    long ClientErrors,
    long ServerErrors,
    long SlowRequests,
    double SlowThresholdMs);

/// <summary>A request slower than its route's threshold.</summary>
public sealed record SlowRequest(string Route, string Method, int Status, double DurationMs, string? TraceId, DateTimeOffset At);

/// <summary>What <c>/admin/requests</c> answers: every route, the totals, and the recent slow requests.</summary>
public sealed record RequestMetricsSnapshot(
    string Service,
    DateTimeOffset TakenAt,
    DateTimeOffset StartedAt,
    long Count,
    long ClientErrors,
    long ServerErrors,
    double RatePerSecond1m,
    double RatePerSecond5m,
    IReadOnlyList<RouteStatistics> Routes,
    IReadOnlyList<SlowRequest> SlowRequests);
