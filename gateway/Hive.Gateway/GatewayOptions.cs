using System.ComponentModel.DataAnnotations;

namespace Hive.Gateway;

/// <summary>Settings of the gateway itself (section <c>Gateway</c>); routes and clusters live under <c>ReverseProxy</c>.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>How long /health/ready waits for each service's own readiness. Default 3 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ReadinessProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
