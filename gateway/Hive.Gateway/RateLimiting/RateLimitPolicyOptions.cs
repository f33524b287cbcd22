using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Hive.Gateway.RateLimiting;

/// <summary>One budget: at most <see cref="Limit"/> requests per client in any sliding <see cref="Window"/>.</summary>
public sealed partial class RateLimitPolicyOptions
{
    [Range(1, 1_000_000)]
    public int Limit { get; set; } = 300;

    /// <summary>Whole seconds, since the <c>RateLimit-Policy</c> header states the window in seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    internal static bool IsValidName(string name) => PolicyName().IsMatch(name);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex PolicyName();
}
