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

    [Fact]
    public void AtTheEdgeAClientsSampledFlagDecidesNothing()
    {
        // A client sends traceparent ...-01 on every request: with TrustIncomingSampling off (the gateway) it
        // is sampled like any new trace, so a ratio of 0 keeps none of them and a ratio of 1 keeps all.
        var sampledByClient = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var droppedByClient = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        var none = HiveSampler.For(new TelemetryOptions { SamplingRatio = 0, TrustIncomingSampling = false }, isDevelopment: false);
        var all = HiveSampler.For(new TelemetryOptions { SamplingRatio = 1, TrustIncomingSampling = false }, isDevelopment: false);

        Assert.Equal(SamplingDecision.Drop, Decide(none, ActivityKind.Server, sampledByClient));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(all, ActivityKind.Server, droppedByClient));

        // Inside the process a span still follows its (local) parent, so a kept request is kept whole.
        var localParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(none, ActivityKind.Client, localParent));
    }

    [Fact]
    public void AtTheEdgeTheShareKeptIsTheRatioWhateverTraceIdsTheClientPicks()
    {
        // A trace-id ratio keeps ids below a bound: a client could send only such ids. A random draw cannot be steered.
        var edge = HiveSampler.For(new TelemetryOptions { SamplingRatio = 0.25, TrustIncomingSampling = false }, isDevelopment: false);
        var lowId = ActivityTraceId.CreateFromString("00000000000000000000000000000001");
        var kept = 0;
        for (var i = 0; i < 4000; i++)
        {
            var parent = new ActivityContext(lowId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
            if (edge.ShouldSample(new SamplingParameters(parent, lowId, "GET", ActivityKind.Server)).Decision == SamplingDecision.RecordAndSample)
            {
                kept++;
            }
        }

        // 1000 expected; the bounds are over 8 standard deviations (27) away, so the test does not flake.
        Assert.InRange(kept, 780, 1220);
    }
}
