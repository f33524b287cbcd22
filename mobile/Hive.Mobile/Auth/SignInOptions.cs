namespace Hive.Mobile.Auth;

/// <summary>How the app signs in to the fleet's identity service (OpenID Connect, authorization code + PKCE).</summary>
public sealed class SignInOptions
{
    /// <summary>The issuer; defaults to the gateway, which routes /connect and /.well-known to identity.</summary>
    public Uri? Authority { get; set; }

    /// <summary>The public native client registered with identity. Default <c>hive-mobile</c>.</summary>
    public string ClientId { get; set; } = "hive-mobile";

    /// <summary>Where the browser returns: <c>hive://callback</c> on phones, <c>http://127.0.0.1:PORT/callback</c> on desktops.</summary>
    public string RedirectUri { get; set; } = "hive://callback";

    /// <summary>Default: identity, refresh tokens and the fleet's API audience.</summary>
    public string Scope { get; set; } = "openid profile offline_access hive-api";

    /// <summary>Refresh the access token when less than this is left. Default 2 minutes.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Allow http:// authorities (loopback development and tests only).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>The browser a platform opens for the sign-in page (MAUI WebAuthenticator, a system browser with a loopback listener).</summary>
    public Duende.IdentityModel.OidcClient.Browser.IBrowser? Browser { get; set; }

    /// <summary>Where tokens are kept between runs.</summary>
    public ITokenStore? TokenStore { get; set; }
}
