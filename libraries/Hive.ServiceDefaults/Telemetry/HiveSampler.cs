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
        Sampler inner = isDevelopment || options.AlwaysSample
            ? new AlwaysOnSampler()
            : new ParentBasedSampler(new TraceIdRatioBasedSampler(options.SamplingRatio));
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
