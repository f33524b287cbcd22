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
            ["metrics"] = new(true, null, own),
        };
        foreach (var (name, reading) in readings)
        {
            var snapshot = reading.Body is { } body ? body.Deserialize<RequestMetricsSnapshot>(Json) : null;
            services[name] = new ServiceRequests(snapshot is not null, reading.Error, snapshot);
        }

        var answered = services.Values.Where(s => s.Snapshot is not null).Select(s => s.Snapshot!).ToList();
        return new FleetRequests(
            answered.Sum(s => s.Count),
            answered.Sum(s => s.ClientErrors),
            answered.Sum(s => s.ServerErrors),
            Math.Round(answered.Sum(s => s.RatePerSecond1m), 3),
            Math.Round(answered.Sum(s => s.RatePerSecond5m), 3),
            services,
            [.. answered
                .SelectMany(s => s.SlowRequests.Select(r => new FleetSlowRequest(s.Service, r.Route, r.Status, r.DurationMs, r.TraceId, r.At)))
                .OrderByDescending(r => r.At)
                .Take(slowRequests)]);
    }
}

public sealed record ServiceRequests(bool Answered, string? Error, RequestMetricsSnapshot? Snapshot);

public sealed record FleetSlowRequest(string Service, string Route, int Status, double DurationMs, string? TraceId, DateTimeOffset At);
