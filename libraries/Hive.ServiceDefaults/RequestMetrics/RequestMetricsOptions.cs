using System.ComponentModel.DataAnnotations;

namespace Hive.ServiceDefaults.RequestMetrics;

/// <summary>Per-route request statistics (section <c>Hive:RequestMetrics</c>).</summary>
public sealed class RequestMetricsOptions
{
    public const string SectionName = "Hive:RequestMetrics";

    /// <summary>Whether the figures are kept at all (read once at start-up). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A request slower than this is kept in the slow-request list. Default 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SlowThreshold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Thresholds for single routes, by template as ASP.NET Core names it (<c>/products/{id}</c>), which
    /// override <see cref="SlowThreshold"/>: a search may take longer than a cached product read.
    /// </summary>
    public Dictionary<string, TimeSpan> SlowThresholds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many of the most recent slow requests are kept. Default 100.</summary>
    [Range(1, 10_000)]
    public int SlowRequestsKept { get; set; } = 100;

    /// <summary>At most this many distinct routes are tracked; later ones count under <c>(other)</c>. Default 500.</summary>
    [Range(1, 10_000)]
    public int MaxRoutes { get; set; } = 500;
}
