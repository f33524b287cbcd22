using System.ComponentModel.DataAnnotations;

namespace Hive.ServiceDefaults.Telemetry;

/// <summary>Trace sampling (section <c>Hive:Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Hive:Telemetry";

    /// <summary>
    /// Share of new traces kept outside Development (parent-based: a trace begun upstream keeps its
    /// decision). Development keeps every trace. Default 0.1.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SamplingRatio { get; set; } = 0.1;

    /// <summary>Sample every trace whatever the environment (an operator chasing one problem). Default false.</summary>
    public bool AlwaysSample { get; set; }

    /// <summary>
    /// Drop client spans (a database command, a Redis call) that start a trace of their own: they come from
    /// background loops polling while idle and would bury the requests. Default true.
    /// </summary>
    public bool DropRootClientSpans { get; set; } = true;

    /// <summary>
    /// Whether a sampling decision that arrives with a request (the sampled flag of its <c>traceparent</c>)
    /// is followed. Inside the fleet it is: the caller is a Hive service. The gateway, where requests come
    /// from the internet, sets it false: there a client could send <c>traceparent: 00-…-01</c> on every
    /// request and have the whole fleet record and export a trace for each. The gateway then decides
    /// itself, by <see cref="SamplingRatio"/> with a random draw (not by the trace id, which the client
    /// chose), and keeps the client's trace id so its logs still join. Default true.
    /// </summary>
    public bool TrustIncomingSampling { get; set; } = true;

    /// <summary>
    /// Also record the transport instruments that take a measurement on every request, pooled buffer or
    /// connection state change (<see cref="PerOperationTransportInstruments"/>). Default false: what they
    /// tell is in the request and connection durations, the process's memory and the request figures, and
    /// together they cost a cached request 2–4 µs of CPU at the gateway (bench/RESULTS.md, 2026-11-28).
    /// An operator chasing a connection-pool or buffer problem turns them on.
    /// </summary>
    public bool PerOperationTransportMetrics { get; set; }

    /// <summary>
    /// ASP.NET Core's and HttpClient's instruments that record per operation and repeat what others say:
    /// route match attempts (the request duration carries the route), Kestrel's pooled-buffer rents and pool
    /// size (allocations and evictions stay), and the client's in-flight requests, open connections by state
    /// (four measurements per request as a connection goes idle and busy) and time in the pool's queue (the
    /// client request duration includes it).
    /// </summary>
    public static readonly IReadOnlyList<string> PerOperationTransportInstruments =
    [
        "aspnetcore.routing.match_attempts",
        "aspnetcore.memory_pool.rented",
        "aspnetcore.memory_pool.pooled",
        "http.client.active_requests",
        "http.client.open_connections",
        "http.client.request.time_in_queue",
    ];
}
