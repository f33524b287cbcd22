using System.Text.Json;
using Hive.ServiceDefaults.RequestMetrics;
using Metrics.Api.Fleet;

namespace Metrics.Api.Apis;

/// <summary>The fleet's request figures: each service's routes as it reports them, and the totals.</summary>
public sealed record FleetRequests(
    long Count,
    long ClientErrors,
    long ServerErrors,
    double RatePerSecond1m,
    double RatePerSecond5m,
    IReadOnlyDictionary<string, ServiceRequests> Services,
    IReadOnlyList<FleetSlowRequest> SlowRequests)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static FleetRequests From(RequestMetricsSnapshot own, IReadOnlyDictionary<string, FleetReading> readings, int slowRequests)
    {
        var services = new Dictionary<string, ServiceRequests>(StringComparer.Ordinal)
        {
            ["metrics"] = new(true, null, own, new Dictionary<string, ReplicaRequests>()),
        };
        foreach (var replicas in readings.Values.GroupBy(r => r.Service, StringComparer.Ordinal))
        {
            var byReplica = replicas.ToDictionary(
                r => r.Instance,
                r => new ReplicaRequests(r.Body is { } body ? body.Deserialize<RequestMetricsSnapshot>(Json) : null, r.Error, r.ReadAt),
                StringComparer.Ordinal);
            var answered = byReplica.Values.Where(r => r.Snapshot is not null).Select(r => r.Snapshot!).ToList();
            var silent = byReplica.Where(r => r.Value.Snapshot is null).Select(r => $"{r.Key}: {r.Value.Error}").ToList();
            if (replicas.Key == "metrics")
            {
                // Other metrics replicas: this one's own figures are already in.
                answered.Add(own);
            }

            services[replicas.Key] = new ServiceRequests(
                silent.Count == 0,
                silent.Count == 0 ? null : string.Join("; ", silent),
                answered.Count == 0 ? null : Combine(replicas.Key, answered),
                byReplica);
        }

        var snapshots = services.Values.Where(s => s.Snapshot is not null).Select(s => s.Snapshot!).ToList();
        return new FleetRequests(
            snapshots.Sum(s => s.Count),
            snapshots.Sum(s => s.ClientErrors),
            snapshots.Sum(s => s.ServerErrors),
            Math.Round(snapshots.Sum(s => s.RatePerSecond1m), 3),
            Math.Round(snapshots.Sum(s => s.RatePerSecond5m), 3),
            services,
            [.. snapshots
                .SelectMany(s => s.SlowRequests.Select(r => new FleetSlowRequest(s.Service, r.Route, r.Status, r.DurationMs, r.TraceId, r.At)))
                .OrderByDescending(r => r.At)
                .Take(slowRequests)]);
    }

    /// <summary>
    /// One service's figures over its replicas: counts, errors and rates add up, the average is weighted by
    /// count; percentiles cannot be added, so each is the highest of any replica (the replica's own are in
    /// <see cref="ServiceRequests.Replicas"/>). Taken when the oldest replica's figures were.
    /// </summary>
    public static RequestMetricsSnapshot Combine(string service, IReadOnlyList<RequestMetricsSnapshot> replicas)
    {
        if (replicas.Count == 1)
        {
            return replicas[0] with { Service = service };
        }

        var routes = replicas.SelectMany(r => r.Routes).GroupBy(r => r.Route, StringComparer.Ordinal).Select(route =>
        {
            var count = route.Sum(r => r.Count);
            return new RouteStatistics(
                route.Key,
                count,
                Math.Round(route.Sum(r => r.RatePerSecond1m), 3),
                Math.Round(route.Sum(r => r.RatePerSecond5m), 3),
                count == 0 ? 0 : Math.Round(route.Sum(r => r.AverageMs * r.Count) / count, 3),
                route.Max(r => r.P50Ms),
                route.Max(r => r.P95Ms),
                route.Max(r => r.P99Ms),
                route.Max(r => r.MaxMs),
                route.Sum(r => r.ClientErrors),
                route.Sum(r => r.ServerErrors),
                route.Sum(r => r.SlowRequests),
                route.Max(r => r.SlowThresholdMs));
        }).OrderBy(r => r.Route, StringComparer.Ordinal).ToList();

        return new RequestMetricsSnapshot(
            service,
            replicas.Min(r => r.TakenAt),
            replicas.Min(r => r.StartedAt),
            replicas.Sum(r => r.Count),
            replicas.Sum(r => r.ClientErrors),
            replicas.Sum(r => r.ServerErrors),
            Math.Round(replicas.Sum(r => r.RatePerSecond1m), 3),
            Math.Round(replicas.Sum(r => r.RatePerSecond5m), 3),
            routes,
            [.. replicas.SelectMany(r => r.SlowRequests).OrderByDescending(r => r.At)]);
    }
}

/// <summary>A service over its replicas (<see cref="Snapshot"/> combines them), and each replica by name.</summary>
public sealed record ServiceRequests(bool Answered, string? Error, RequestMetricsSnapshot? Snapshot, IReadOnlyDictionary<string, ReplicaRequests> Replicas);

/// <summary>One replica's own figures, or why it did not answer, and when it was read.</summary>
public sealed record ReplicaRequests(RequestMetricsSnapshot? Snapshot, string? Error, DateTimeOffset ReadAt);

public sealed record FleetSlowRequest(string Service, string Route, int Status, double DurationMs, string? TraceId, DateTimeOffset At);
