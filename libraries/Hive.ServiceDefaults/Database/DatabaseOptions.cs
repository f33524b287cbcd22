using System.ComponentModel.DataAnnotations;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How a service fails fast when Postgres is sick (section <c>Hive:Database</c>): bounded connects and
/// commands, and a circuit breaker that answers 503 at once while the database keeps failing.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Hive:Database";

    /// <summary>Longest a command may run before Npgsql abandons it (whole seconds). Default 2 s.</summary>
    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 2;

    /// <summary>Longest to wait for a new physical connection (whole seconds). Default 2 s.</summary>
    [Range(1, 60)]
    public int ConnectTimeoutSeconds { get; set; } = 2;

    /// <summary>Share of failed database uses within <see cref="SamplingDuration"/> that opens the breaker. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Least number of database uses in the sampling window before the breaker may open. Default 2.</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 2;

    /// <summary>Window over which failures are counted. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a background <c>SELECT 1</c> checks the database. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A probe not answered within this opens the breaker at once, without waiting for Npgsql's own
    /// timeout and cancellation (which take several seconds against a hung server). Default 1 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the breaker stays open (503 at once) before letting a request try again. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
