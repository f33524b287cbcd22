using System.ComponentModel.DataAnnotations;

namespace Metrics.Api.Views;

/// <summary>Refresh of the dashboard's materialized views (section <c>Metrics:MaterializedViews</c>).</summary>
public sealed class MaterializedViewOptions
{
    public const string SectionName = "Metrics:MaterializedViews";

    /// <summary>The views, refreshed in this order. Each has a unique index, so CONCURRENTLY never blocks readers.</summary>
    [MinLength(1)]
    public string[] Views { get; set; } = ["mv_category_counts", "mv_business_stats", "mv_daily_platform_stats", "mv_search_autocomplete"];

    /// <summary>Time between refreshes. Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Life of the refresh lock; the holder extends it every third of this while a refresh runs, so a long
    /// refresh keeps it and a crashed replica frees it soon. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.300", "01:00:00")]
    public TimeSpan LockTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Delay before the first refresh after start-up. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(10);
}
