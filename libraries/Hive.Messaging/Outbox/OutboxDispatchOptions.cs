using System.ComponentModel.DataAnnotations;

namespace Hive.Messaging.Outbox;

/// <summary>How an outbox dispatcher works through its table (the defaults are catalog's).</summary>
public sealed class OutboxDispatchOptions
{
    /// <summary>Most messages taken per round. Default 200.</summary>
    [Range(1, 5000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Rounds that may be publishing at once. A round holds its rows until the broker confirms them and the
    /// database commits their mark; a change committed meanwhile is claimed by another round at once instead
    /// of waiting for that one to end. One aggregate's messages still leave in order (a row is only claimable
    /// once every earlier row of its aggregate is marked published). Default 4.
    /// </summary>
    [Range(1, 64)]
    public int RoundsInFlight { get; set; } = 4;

    /// <summary>Longest wait for a NOTIFY before looking again anyway (a lost notification costs at most this). Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A publish that is not confirmed within this counts as failed and is retried. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest pause between attempts while the broker is down. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(1);
}
