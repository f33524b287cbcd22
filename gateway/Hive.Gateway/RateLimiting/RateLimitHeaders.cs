using System.Globalization;
using Hive.Caching;

namespace Hive.Gateway.RateLimiting;

/// <summary>
/// The draft-ietf-httpapi-ratelimit-headers-10 fields: <c>RateLimit-Policy: "name";q=limit;w=seconds</c>
/// and <c>RateLimit: "name";r=remaining;t=seconds</c>, where <c>t</c> is when the oldest counted request
/// leaves the sliding window (quota starts coming back). A refusal also carries <c>Retry-After</c> equal to <c>t</c>.
/// </summary>
internal static class RateLimitHeaders
{
    public const string Policy = "RateLimit-Policy";
    public const string Current = "RateLimit";

    public static void Write(HttpResponse response, string name, RateLimitPolicyOptions policy, RateLimitResult result, DateTimeOffset now)
    {
        var seconds = SecondsUntilQuotaReturns(policy, result, now);
        response.Headers[Policy] = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={policy.Limit};w={(long)policy.Window.TotalSeconds}");
        response.Headers[Current] = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";r={Math.Max(0, result.Remaining)};t={seconds}");
        if (!result.Allowed)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Whole seconds, rounded up so a client that waits <c>t</c> is never early; never more than the window.</summary>
    internal static long SecondsUntilQuotaReturns(RateLimitPolicyOptions policy, RateLimitResult result, DateTimeOffset now)
    {
        var wait = result.Allowed ? result.ResetAt - now : result.RetryAfter;
        var seconds = (long)Math.Ceiling(Math.Max(0, wait.TotalSeconds));
        var window = (long)Math.Ceiling(policy.Window.TotalSeconds);
        return Math.Clamp(seconds, result.Allowed ? 0 : 1, window);
    }
}
