using System.Diagnostics.Metrics;
using Hive.Contracts;
using Hive.Messaging.Analytics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hive.Messaging.Tests;

public sealed class AnalyticsRecorderTests
{
    [Fact]
    public void AFloodBeyondTheBufferIsDroppedAndCountedNeverWaitedFor()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var recorder = new AnalyticsRecorder(Options.Create(new AnalyticsOptions { Capacity = 100 }), meters);
        long droppedByMeter = 0, recordedByMeter = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name is "hive.analytics.dropped" or "hive.analytics.recorded")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            Assert.Equal(("{event}", AnalyticsRecorder.MeterName), (instrument.Unit, instrument.Meter.Name));
            if (instrument.Name == "hive.analytics.dropped")
            {
                Interlocked.Add(ref droppedByMeter, value);
            }
            else
            {
                Interlocked.Add(ref recordedByMeter, value);
            }
        });
        listener.Start();

        // No publisher drains the buffer here: as with a broker that is away.
        var taken = Enumerable.Range(0, 10_000)
            .Count(i => recorder.Record(new AnalyticsEvent(AnalyticsEventType.View, i + 1, 1, 1, "flooder", null, 1, DateTimeOffset.UtcNow)));

        Assert.Equal(100, taken);
        Assert.Equal(100, recorder.Recorded);
        Assert.Equal(9_900, recorder.Dropped);
        Assert.Equal(9_900, Interlocked.Read(ref droppedByMeter));
        Assert.Equal(100, Interlocked.Read(ref recordedByMeter));
    }
}
