using System.ComponentModel.DataAnnotations;

namespace Hive.Messaging.Analytics;

/// <summary>The in-memory analytics buffer of a service (section <c>Hive:Analytics</c>).</summary>
public sealed class AnalyticsOptions : IValidatableObject
{
    public const string SectionName = "Hive:Analytics";

    /// <summary>Events held while waiting to be published; beyond this they are dropped and counted. Default 20,000 (ten batches).</summary>
    [Range(1, 1_000_000)]
    public int Capacity { get; set; } = 20_000;

    /// <summary>
    /// Most events in one published batch; at most <see cref="Capacity"/> and the metrics service's 10,000. Default 2,000:
    /// each message costs the broker and the metrics service about as much again whatever it holds, and with 500 a
    /// cached product view cost them 15 µs of CPU (metrics 10, RabbitMQ 5) against 8 with 2,000 (bench/RESULTS.md,
    /// 2026-11-28). A quiet service still publishes what it has after <see cref="FlushInterval"/>.
    /// </summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 2_000;

    /// <summary>Longest an event waits for its batch to fill. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time one publish may take before the batch is dropped (the broker is away). Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BatchSize > Capacity)
        {
            // A batch that cannot fill would wait out every flush interval while the buffer overflows.
            yield return new ValidationResult(
                $"{SectionName}:{nameof(BatchSize)} ({BatchSize}) must not exceed {SectionName}:{nameof(Capacity)} ({Capacity}).",
                [nameof(BatchSize), nameof(Capacity)]);
        }
    }
}
