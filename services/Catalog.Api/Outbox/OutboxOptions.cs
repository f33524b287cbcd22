using System.ComponentModel.DataAnnotations;

namespace Catalog.Api.Outbox;

/// <summary>Outbox dispatcher settings (section <c>Catalog:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Catalog:Outbox";

    /// <summary>Most events taken per round. Default 200.</summary>
    [Range(1, 5000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Longest wait for a NOTIFY before looking again anyway (a lost notification costs at most this). Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A publish that is not confirmed within this counts as failed and is retried. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest pause between attempts while the broker is down; short, so events leave soon after it returns. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(1);
}
