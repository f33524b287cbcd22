using System.Diagnostics;
using Hive.ServiceDefaults.Telemetry;
using OpenTelemetry.Trace;

namespace Hive.ServiceDefaults.Tests;

public sealed class SamplerTests
{
    private static SamplingDecision Decide(HiveSampler sampler, ActivityKind kind, ActivityContext parent = default)
        => sampler.ShouldSample(new SamplingParameters(parent, ActivityTraceId.CreateRandom(), "postgresql", kind)).Decision;

    [Fact]
    public void AClientSpanThatWouldStartATraceOfItsOwnIsDropped()
    {
        var sampler = HiveSampler.For(new TelemetryOptions(), isDevelopment: true);

        Assert.Equal(SamplingDecision.Drop, Decide(sampler, ActivityKind.Client));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, ActivityKind.Server));
        var request = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, ActivityKind.Client, request));
    }

    [Fact]
    public void OutsideDevelopmentNewTracesAreSampledByRatioAndChildrenFollowTheirParent()
    {
        var none = HiveSampler.For(new TelemetryOptions { SamplingRatio = 0 }, isDevelopment: false);
        var sampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var droppedParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

        Assert.Equal(SamplingDecision.Drop, Decide(none, ActivityKind.Server));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(none, ActivityKind.Server, sampledParent));
        Assert.Equal(SamplingDecision.Drop, Decide(none, ActivityKind.Server, droppedParent));

        var all = HiveSampler.For(new TelemetryOptions { SamplingRatio = 1 }, isDevelopment: false);
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(all, ActivityKind.Server));
    }
}
