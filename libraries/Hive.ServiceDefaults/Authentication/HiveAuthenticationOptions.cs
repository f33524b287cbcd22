using System.ComponentModel.DataAnnotations;

namespace Hive.ServiceDefaults;

/// <summary>
/// How a service validates bearer tokens (section <c>Hive:Auth</c>). Everything comes from the provider's
/// OpenID Connect discovery document, so pointing <see cref="Authority"/> at another provider is all a
/// deployment needs to change.
/// </summary>
public sealed class HiveAuthenticationOptions
{
    public const string SectionName = "Hive:Auth";

    /// <summary>
    /// The token provider's base URL; its discovery document is at <c>{Authority}/.well-known/openid-configuration</c>.
    /// Defaults to the identity service's endpoint from the AppHost (<c>services:identity:http:0</c>).
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The issuer tokens must name. Default: the <c>issuer</c> of the discovery document.</summary>
    public string? Issuer { get; set; }

    /// <summary>The audience tokens must name. Default <c>hive-api</c>.</summary>
    [Required]
    public string Audience { get; set; } = HiveClaims.Audience;

    /// <summary>Signature algorithms accepted; never <c>none</c> or a symmetric one. Default: RSA, RSA-PSS and ECDSA.</summary>
    [MinLength(1)]
    public string[] ValidAlgorithms { get; set; } = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>Tolerance for clocks that disagree, on expiry and not-before. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the discovery document and signing keys are re-read. Default 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Least time between two extra re-reads triggered by a token signed with an unknown key (key rollover).
    /// Default 1 min, so a flood of forged key ids cannot hammer the provider.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan UnknownKeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Require https for the discovery document. Default: true in Production only.</summary>
    public bool? RequireHttpsMetadata { get; set; }
}
