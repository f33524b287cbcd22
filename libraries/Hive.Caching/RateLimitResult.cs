namespace Hive.Caching;

/// <summary>The outcome of one rate-limit check.</summary>
/// <param name="Allowed">Whether this call is within the limit.</param>
/// <param name="Remaining">Calls still allowed in the current window after this one.</param>
/// <param name="ResetAt">When the oldest counted call leaves the window (Redis time).</param>
/// <param name="RetryAfter">Zero when allowed; otherwise how long until a call would be allowed.</param>
/// <param name="IsFallback">True when Redis was unavailable and the configured failure mode decided.</param>
public sealed record RateLimitResult(bool Allowed, int Remaining, DateTimeOffset ResetAt, TimeSpan RetryAfter, bool IsFallback = false);
