namespace Hive.Gateway.RateLimiting;

/// <summary>Picks <see cref="Policy"/> for requests under <see cref="PathPrefix"/> (any path when empty) with one of <see cref="Methods"/> (any when empty).</summary>
public sealed class RateLimitRule
{
    public string Policy { get; set; } = string.Empty;

    public string? PathPrefix { get; set; }

    public List<string> Methods { get; set; } = [];

    internal bool Matches(HttpRequest request)
    {
        if (!string.IsNullOrEmpty(PathPrefix) && !request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return Methods.Count == 0 || Methods.Exists(method => string.Equals(method, request.Method, StringComparison.OrdinalIgnoreCase));
    }
}
