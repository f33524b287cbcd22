using System.ComponentModel.DataAnnotations;

namespace Hive.Gateway.Limits;

/// <summary>
/// Size limits the gateway enforces before anything is forwarded (section <c>Gateway:Limits</c>). Kestrel's
/// own limits are set above these (<see cref="ServerHardLimitFactor"/>) so that a request a little over
/// gets a ProblemDetails naming the limit from the gateway rather than Kestrel's bare status code.
/// </summary>
public sealed class RequestLimitOptions
{
    public const string SectionName = "Gateway:Limits";

    /// <summary>How many times the gateway's limits Kestrel allows before it cuts a request off itself.</summary>
    public const int ServerHardLimitFactor = 4;

    /// <summary>Longest query string (characters after <c>?</c>), else 414. Default 2,048.</summary>
    [Range(64, 16_384)]
    public int MaxQueryStringLength { get; set; } = 2_048;

    /// <summary>Longest path, else 414. Default 2,048.</summary>
    [Range(64, 16_384)]
    public int MaxPathLength { get; set; } = 2_048;

    /// <summary>Most bytes of all request headers together, else 431. Default 16 KiB.</summary>
    [Range(1_024, 65_536)]
    public int MaxHeadersTotalBytes { get; set; } = 16_384;

    /// <summary>Largest request body where no <see cref="BodyLimits"/> entry applies (JSON writes), else 413. Default 256 KiB.</summary>
    [Range(1_024, 1_073_741_824)]
    public long DefaultMaxBodyBytes { get; set; } = 262_144;

    /// <summary>Larger (or smaller) body limits by path prefix, first match wins, for example media uploads.</summary>
    public List<BodyLimit> BodyLimits { get; set; } = [];

    internal long MaxBodyBytesFor(PathString path)
        => BodyLimits.Find(limit => path.StartsWithSegments(limit.PathPrefix, StringComparison.OrdinalIgnoreCase))?.MaxBytes ?? DefaultMaxBodyBytes;

    internal long LargestBodyLimit => BodyLimits.Count == 0 ? DefaultMaxBodyBytes : Math.Max(DefaultMaxBodyBytes, BodyLimits.Max(limit => limit.MaxBytes));
}

public sealed class BodyLimit
{
    [Required]
    public string PathPrefix { get; set; } = string.Empty;

    [Range(1_024, 1_073_741_824)]
    public long MaxBytes { get; set; }
}
