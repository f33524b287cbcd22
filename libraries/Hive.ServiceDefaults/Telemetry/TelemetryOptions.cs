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
}
