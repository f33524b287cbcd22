using System.ComponentModel.DataAnnotations;

namespace Metrics.Api.Analytics;

/// <summary>How analytics events are taken into the store and the boards (section <c>Metrics:Analytics</c>).</summary>
public sealed class AnalyticsIngestionOptions
{
    public const string SectionName = "Metrics:Analytics";

    /// <summary>
    /// Events of one kind from one client about one product that count on the boards per hour; the rest are
    /// stored but do not move trending, so a bot or a refresh loop cannot push a product up. Default 20.
    /// </summary>
    [Range(1, 100_000)]
    public int PerClientHourlyLimit { get; set; } = 20;

    /// <summary>Members kept on each all-time board; the time-bucket boards expire by themselves. Default 10,000.</summary>
    [Range(10, 1_000_000)]
    public int AllTimeBoardSize { get; set; } = 10_000;

    /// <summary>Events older than this (or more than a few minutes in the future) are malformed. Default 7 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(7);
}
