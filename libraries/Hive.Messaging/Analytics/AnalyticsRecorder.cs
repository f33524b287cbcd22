using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Hive.Contracts;
using Microsoft.Extensions.Options;

namespace Hive.Messaging.Analytics;

/// <summary>
/// Takes analytics events from request handlers without making them wait: a bounded in-memory channel,
/// written with <c>TryWrite</c>. When it is full (the broker is slow or away, or a flood) the event is
/// dropped and counted, so memory stays bounded and requests never block. <see cref="AnalyticsPublisher"/>
/// drains it in batches, woken once a batch is full (or its flush interval has passed), not by every event:
/// a reader waiting on the channel itself would be handed to a pool thread for each request that records one.
/// </summary>
public sealed class AnalyticsRecorder
{
    public const string MeterName = "Hive.Analytics";

    private readonly Channel<AnalyticsEvent> _channel;
    private readonly Counter<long> _recorded;
    private readonly Counter<long> _dropped;
    private readonly int _batchSize;
    private TaskCompletionSource? _batchWaiter;
    private long _droppedTotal;
    private long _recordedTotal;

    public AnalyticsRecorder(IOptions<AnalyticsOptions> options, IMeterFactory meters)
    {
        _channel = Channel.CreateBounded<AnalyticsEvent>(new BoundedChannelOptions(options.Value.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _batchSize = options.Value.BatchSize;
        var meter = meters.Create(MeterName);
        _recorded = meter.CreateCounter<long>("hive.analytics.recorded", "{event}", "Analytics events taken into the buffer");
        _dropped = meter.CreateCounter<long>("hive.analytics.dropped", "{event}", "Analytics events dropped (buffer full or publish failed)");
    }

    public long Dropped => Interlocked.Read(ref _droppedTotal);

    public long Recorded => Interlocked.Read(ref _recordedTotal);

    internal ChannelReader<AnalyticsEvent> Reader => _channel.Reader;

    /// <summary>Never blocks; false when the event was dropped because the buffer is full.</summary>
    public bool Record(AnalyticsEvent analyticsEvent)
    {
        if (_channel.Writer.TryWrite(analyticsEvent))
        {
            Interlocked.Increment(ref _recordedTotal);
            _recorded.Add(1);
            // Counting takes the channel's lock again: only while the publisher is waiting for a batch.
            if (Volatile.Read(ref _batchWaiter) is { Task.IsCompleted: false } waiter && _channel.Reader.Count >= _batchSize)
            {
                waiter.TrySetResult();
            }

            return true;
        }

        Drop(1);
        return false;
    }

    /// <summary>
    /// Returns once a whole batch is buffered or <paramref name="longest"/> has passed (or on cancellation,
    /// without throwing). The single reader calls it after the first event of a batch has arrived.
    /// </summary>
    internal async Task WaitForBatchAsync(TimeSpan longest, CancellationToken cancellationToken)
    {
        // Asynchronous continuations: the request thread that fills the batch must not go on to publish it.
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _batchWaiter, waiter);
        // A batch that filled before the waiter was set would never signal it.
        if (_channel.Reader.Count < _batchSize)
        {
            await waiter.Task.WaitAsync(longest, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    internal void Drop(long count)
    {
        Interlocked.Add(ref _droppedTotal, count);
        _dropped.Add(count);
    }
}
