using Duende.IdentityModel.Client;
using Duende.IdentityModel.OidcClient;

namespace Hive.Mobile.Auth;

/// <summary>
/// Signs the buyer in with the authorization-code flow and PKCE (Duende OidcClient does the protocol:
/// state, nonce, code verifier, discovery), keeps the tokens in the platform's store and refreshes the
/// access token before it expires, once however many requests need it at the same moment. A refresh the
/// server refuses means the sign-in expired: the tokens go and <see cref="SignInExpired"/> is raised.
/// </summary>
public sealed class SignInService : IAccessTokenProvider, IDisposable
{
    private readonly SignInOptions _options;
    private readonly ITokenStore _store;
    private readonly TimeProvider _clock;
    private readonly HttpMessageHandler _backchannel;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private TokenSet? _tokens;
    private OidcClient? _oidc;

    public SignInService(SignInOptions options, TimeProvider clock, HttpMessageHandler? backchannel = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Authority);
        _options = options;
        _store = options.TokenStore ?? throw new ArgumentException("SignInOptions.TokenStore is required.", nameof(options));
        _clock = clock;
        _backchannel = backchannel ?? new SocketsHttpHandler();
    }

    /// <summary>The refresh token was refused (revoked, expired): the user has to sign in again.</summary>
    public event EventHandler? SignInExpired;

    /// <summary>A user signed out; the argument is that user's id (their private cache entries go).</summary>
    public event EventHandler<string>? SignedOut;

    /// <summary>A user signed in (or was restored from the token store).</summary>
    public event EventHandler<string>? SignedIn;

    public string? UserId => _tokens?.UserId;

    public bool IsSignedIn => _tokens is not null;

    /// <summary>Number of refreshes sent to the token endpoint (for tests and diagnostics).</summary>
    public int Refreshes { get; private set; }

    /// <summary>Loads the tokens saved by an earlier run.</summary>
    public async Task<bool> RestoreAsync(CancellationToken cancellationToken = default)
    {
        _tokens = await _store.LoadAsync(cancellationToken);
        if (_tokens is not null)
        {
            SignedIn?.Invoke(this, _tokens.UserId);
        }

        return _tokens is not null;
    }

    /// <summary>Opens the sign-in page in the platform's browser and completes the code flow with PKCE.</summary>
    public async Task<TokenSet> SignInAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Browser is null)
        {
            throw new InvalidOperationException("SignInOptions.Browser is required for the authorization-code flow.");
        }

        var result = await Client().LoginAsync(new LoginRequest(), cancellationToken);
        if (result.IsError)
        {
            throw new SignInException(result.Error, result.ErrorDescription);
        }

        var userId = result.User?.FindFirst("sub")?.Value ?? JwtPayload.Subject(result.IdentityToken)
                     ?? throw new SignInException("no_subject", "The identity token names no subject.");
        return await KeepAsync(new TokenSet(userId, result.AccessToken, result.RefreshToken, result.IdentityToken, result.AccessTokenExpiration), cancellationToken);
    }

    /// <summary>
    /// Signs in with a user name and password (the resource-owner password grant identity enables outside
    /// Production for tests and the demo's buyer). Real apps use <see cref="SignInAsync"/>.
    /// </summary>
    public async Task<TokenSet> SignInWithPasswordAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient(_backchannel, disposeHandler: false);
        var discovery = await http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest { Address = _options.Authority!.ToString(), Policy = DiscoveryPolicy() }, cancellationToken);
        if (discovery.IsError)
        {
            throw new SignInException("discovery", discovery.Error);
        }

        var response = await http.RequestPasswordTokenAsync(
            new PasswordTokenRequest
            {
                Address = discovery.TokenEndpoint,
                ClientId = _options.ClientId,
                UserName = userName,
                Password = password,
                Scope = _options.Scope,
            },
            cancellationToken);
        if (response.IsError)
        {
            throw new SignInException(response.Error ?? "token_error", response.ErrorDescription);
        }

        var userId = JwtPayload.Subject(response.IdentityToken) ?? JwtPayload.Subject(response.AccessToken)
                     ?? throw new SignInException("no_subject", "The token response names no subject.");
        return await KeepAsync(new TokenSet(userId, response.AccessToken!, response.RefreshToken, response.IdentityToken, Expiry(response.ExpiresIn)), cancellationToken);
    }

    public async ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var tokens = _tokens;
        if (tokens is null)
        {
            return null;
        }

        if (tokens.AccessTokenExpiresAt - _clock.GetUtcNow() > _options.RefreshBefore)
        {
            return tokens.AccessToken;
        }

        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed while this one waited.
            tokens = _tokens;
            if (tokens is null)
            {
                return null;
            }

            if (tokens.AccessTokenExpiresAt - _clock.GetUtcNow() > _options.RefreshBefore)
            {
                return tokens.AccessToken;
            }

            return (await RefreshAsync(tokens, cancellationToken))?.AccessToken;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    public async Task SignOutAsync(CancellationToken cancellationToken = default)
    {
        var userId = _tokens?.UserId;
        _tokens = null;
        await _store.ClearAsync(cancellationToken);
        if (userId is not null)
        {
            SignedOut?.Invoke(this, userId);
        }
    }

    public void Dispose()
    {
        _refreshGate.Dispose();
        _backchannel.Dispose();
    }

    private async Task<TokenSet?> RefreshAsync(TokenSet tokens, CancellationToken cancellationToken)
    {
        if (tokens.RefreshToken is null)
        {
            await ExpireAsync(cancellationToken);
            return null;
        }

        Refreshes++;
        var result = await Client().RefreshTokenAsync(tokens.RefreshToken, cancellationToken: cancellationToken);
        if (result.IsError)
        {
            // invalid_grant: revoked or expired. A network failure is not an expiry: keep the tokens and let the request fail.
            if (result.Error is "invalid_grant" or "unauthorized_client" or "invalid_client")
            {
                await ExpireAsync(cancellationToken);
                return null;
            }

            throw new SignInException(result.Error, result.ErrorDescription);
        }

        var renewed = tokens with
        {
            AccessToken = result.AccessToken,
            RefreshToken = result.RefreshToken ?? tokens.RefreshToken,
            IdentityToken = result.IdentityToken ?? tokens.IdentityToken,
            AccessTokenExpiresAt = result.AccessTokenExpiration,
        };
        _tokens = renewed;
        await _store.SaveAsync(renewed, cancellationToken);
        return renewed;
    }

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        _tokens = null;
        await _store.ClearAsync(cancellationToken);
        SignInExpired?.Invoke(this, EventArgs.Empty);
    }

    private async Task<TokenSet> KeepAsync(TokenSet tokens, CancellationToken cancellationToken)
    {
        var previous = _tokens?.UserId;
        _tokens = tokens;
        await _store.SaveAsync(tokens, cancellationToken);
        if (previous is not null && previous != tokens.UserId)
        {
            SignedOut?.Invoke(this, previous);
        }

        SignedIn?.Invoke(this, tokens.UserId);
        return tokens;
    }

    private DateTimeOffset Expiry(int expiresInSeconds) => _clock.GetUtcNow().AddSeconds(expiresInSeconds > 0 ? expiresInSeconds : 300);

    private DiscoveryPolicy DiscoveryPolicy() => new()
    {
        RequireHttps = !_options.AllowHttp,
        // Through the gateway the discovery document may name the identity service's own address for its endpoints.
        ValidateEndpoints = false,
        ValidateIssuerName = false,
    };

    private OidcClient Client() => _oidc ??= new OidcClient(new OidcClientOptions
    {
        Authority = _options.Authority!.ToString().TrimEnd('/'),
        ClientId = _options.ClientId,
        Scope = _options.Scope,
        RedirectUri = _options.RedirectUri,
        Browser = _options.Browser,
        LoadProfile = false,
        BackchannelHandler = _backchannel,
        Policy = new Policy { Discovery = DiscoveryPolicy(), RequireIdentityTokenSignature = false },
    });
}

/// <summary>Sign-in failed: the OAuth error code and its description.</summary>
public sealed class SignInException(string error, string? description)
    : Exception($"Sign-in failed: {error}{(description is null ? string.Empty : ": " + description)}")
{
    public string Error { get; } = error;
}
