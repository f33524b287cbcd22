using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Hive.ServiceDefaults.Telemetry;

/// <summary>
/// The fleet's sampler: a root client span (an idle background poll's SQL or Redis command) is dropped;
/// everything else goes to the configured sampler (always on, or parent-based ratio).
/// </summary>
public sealed class HiveSampler : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private readonly Sampler _inner;
    private readonly bool _dropRootClientSpans;

    public HiveSampler(Sampler inner, bool dropRootClientSpans)
    {
        _inner = inner;
        _dropRootClientSpans = dropRootClientSpans;
        Description = $"HiveSampler({inner.Description}, dropRootClientSpans={dropRootClientSpans})";
    }

    public static HiveSampler For(TelemetryOptions options, bool isDevelopment)
    {
        ArgumentNullException.ThrowIfNull(options);
        Sampler inner;
        if (isDevelopment || options.AlwaysSample)
        {
            inner = new AlwaysOnSampler();
        }
        else if (options.TrustIncomingSampling)
        {
            inner = new ParentBasedSampler(new TraceIdRatioBasedSampler(options.SamplingRatio));
        }
        else
        {
            // At the edge a remote parent is a client: its flag decides nothing. Spans inside this process
            // (a local parent) still follow their parent, so one request's trace is kept or dropped whole.
            var edge = new RandomRatioSampler(options.SamplingRatio);
            inner = new ParentBasedSampler(new TraceIdRatioBasedSampler(options.SamplingRatio), remoteParentSampled: edge, remoteParentNotSampled: edge);
        }

        return new HiveSampler(inner, options.DropRootClientSpans);
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (_dropRootClientSpans
            && samplingParameters.Kind == ActivityKind.Client
            && samplingParameters.ParentContext.TraceId == default)
        {
            return Drop;
        }

        return _inner.ShouldSample(samplingParameters);
    }
}

/// <summary>Samples a share of spans by a random draw: unlike a trace-id ratio, the caller cannot pick ids that are always kept.</summary>
internal sealed class RandomRatioSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private readonly double _ratio;

    public RandomRatioSampler(double ratio)
    {
        _ratio = ratio;
        Description = $"RandomRatioSampler({ratio})";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
        => _ratio > 0 && Random.Shared.NextDouble() < _ratio ? Keep : Drop;
}
