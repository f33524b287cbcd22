using System.ComponentModel.DataAnnotations;

namespace Hive.Messaging.Analytics;

/// <summary>The in-memory analytics buffer of a service (section <c>Hive:Analytics</c>).</summary>
public sealed class AnalyticsOptions
{
    public const string SectionName = "Hive:Analytics";

    /// <summary>Events held while waiting to be published; beyond this they are dropped and counted. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int Capacity { get; set; } = 10_000;

    /// <summary>Most events in one published batch. Default 500.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Longest an event waits for its batch to fill. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time one publish may take before the batch is dropped (the broker is away). Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
