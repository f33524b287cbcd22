using System.ComponentModel.DataAnnotations;

namespace Identity.Api.Hosting;

/// <summary>The identity service's settings (section <c>Identity</c>). Secrets come from configuration or Aspire parameters only.</summary>
public sealed class IdentityServiceOptions
{
    public const string SectionName = "Identity";

    /// <summary>
    /// The issuer URL tokens name, as clients see it (the gateway's public address). Default: the URL of
    /// each request, which is right when the service is reached directly.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>Access token lifetime. Default 15 min (mobile clients refresh).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Refresh token lifetime (sliding: each refresh issues a new one). Default 30 days.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Wrong passwords in a row before an account is locked. Default 20.</summary>
    [Range(1, 1000)]
    public int MaxFailedAccessAttempts { get; set; } = 20;

    /// <summary>How long a locked account stays locked. Default 15 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Redirect URIs of the public native client <c>hive-mobile</c> (RFC 8252: loopback on any port, or the app's own scheme).</summary>
    [MinLength(1)]
    public string[] MobileRedirectUris { get; set; } = ["http://127.0.0.1/callback", "http://[::1]/callback", "hive://callback"];

    /// <summary>
    /// Base64 PKCS#12 (PFX) certificate whose key signs tokens. Required in Production; Development uses
    /// a development certificate made on first run.
    /// </summary>
    public string? SigningCertificate { get; set; }

    public string? SigningCertificatePassword { get; set; }

    /// <summary>Base64 PKCS#12 certificate whose key encrypts authorization codes and refresh tokens. Required in Production.</summary>
    public string? EncryptionCertificate { get; set; }

    public string? EncryptionCertificatePassword { get; set; }

    /// <summary>
    /// Secret of the confidential <c>hive-tools</c> client (client-credentials grant). Outside Production
    /// only, and only when set.
    /// </summary>
    public string? ToolsClientSecret { get; set; }

    /// <summary>Demo accounts: when set, a known admin, a seller per business and a few buyers get this password.</summary>
    public string? DemoPassword { get; set; }
}
