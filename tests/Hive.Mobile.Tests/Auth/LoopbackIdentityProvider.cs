using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hive.Mobile.Tests.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hive.Mobile.Tests.Auth;

/// <summary>
/// An OpenID Connect provider on a loopback port with the contract of the fleet's identity service
/// (public client <c>hive-mobile</c>, code + PKCE S256, rotating refresh tokens). It checks the code
/// verifier, the redirect URI and the client the way a real server does; its tokens are not signed,
/// because the SDK never validates access tokens (the services do). Also serves a private
/// <c>GET /api/catalog/orders</c> that answers only to its own access tokens.
/// </summary>
internal sealed class LoopbackIdentityProvider : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string Challenge, string RedirectUri, string Nonce, string User)> _codes = new();
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new();
    private readonly ConcurrentDictionary<string, string> _accessTokens = new();
    private readonly RSA _key = RSA.Create(2048);
    private int _refreshes;
    private int _ordersServed;
    private LoopbackServer _server = null!;

    /// <summary>The user the sign-in page signs in (no form: the "browser" just follows the redirect).</summary>
    public string NextUser { get; set; } = "buyer-1";

    /// <summary>Lifetime of issued access tokens.</summary>
    public int AccessTokenSeconds { get; set; } = 3600;

    /// <summary>False: a refresh answers with a new access token only (no new refresh or identity token), as some servers do.</summary>
    public bool RefreshAnswersWithNewTokens { get; set; } = true;

    /// <summary>The password grant's one account (for the SDK's test and demo sign-in): user name, password and the subject it signs in.</summary>
    public (string UserName, string Password, string Subject) PasswordAccount { get; set; } = ("buyer-1@hive.test", "Correct-Horse-1", "buyer-1");

    public int Refreshes => Volatile.Read(ref _refreshes);

    public int OrdersServed => Volatile.Read(ref _ordersServed);

    public Uri Address => _server.Address;

    public List<string> Failures { get; } = [];

    public static async Task<LoopbackIdentityProvider> StartAsync()
    {
        var provider = new LoopbackIdentityProvider();
        provider._server = await LoopbackServer.StartAsync(provider.Map);
        return provider;
    }

    /// <summary>Every refresh token of the user stops working, as when the user signs out elsewhere.</summary>
    public void RevokeRefreshTokens() => _refreshTokens.Clear();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) =>
        {
            var issuer = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["authorization_endpoint"] = issuer + "/connect/authorize",
                ["token_endpoint"] = issuer + "/connect/token",
                ["jwks_uri"] = issuer + "/.well-known/jwks",
                ["response_types_supported"] = new[] { "code" },
                ["grant_types_supported"] = new[] { "authorization_code", "refresh_token", "password" },
                ["code_challenge_methods_supported"] = new[] { "S256" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        });
        app.MapGet("/.well-known/jwks", () =>
        {
            var parameters = _key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", kid = "k1", alg = "RS256", n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) } } });
        });
        app.MapGet("/connect/authorize", (HttpContext context) =>
        {
            var query = context.Request.Query;
            if (query["client_id"] != "hive-mobile" || query["response_type"] != "code" || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
            {
                Fail($"authorize request without PKCE or for another client: {context.Request.QueryString}");
                return Results.BadRequest();
            }

            var code = Guid.NewGuid().ToString("N");
            _codes[code] = (query["code_challenge"]!, query["redirect_uri"]!, query["nonce"]!, NextUser);
            return Results.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"]!)}");
        });
        app.MapPost("/connect/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var issuer = $"{context.Request.Scheme}://{context.Request.Host}";
            if ((form["client_id"].Count > 0 ? form["client_id"].ToString() : BasicClientId(context.Request)) != "hive-mobile")
            {
                return Error("invalid_client");
            }

            switch (form["grant_type"].ToString())
            {
                case "authorization_code":
                    if (!_codes.TryRemove(form["code"].ToString(), out var grant))
                    {
                        return Error("invalid_grant");
                    }

                    var verifierHash = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
                    if (verifierHash != grant.Challenge || form["redirect_uri"] != grant.RedirectUri)
                    {
                        Fail("code_verifier or redirect_uri did not match the authorization request");
                        return Error("invalid_grant");
                    }

                    return Tokens(issuer, grant.User, grant.Nonce);
                case "refresh_token":
                    Interlocked.Increment(ref _refreshes);
                    if (!RefreshAnswersWithNewTokens)
                    {
                        return _refreshTokens.TryGetValue(form["refresh_token"].ToString(), out var holder) ? AccessTokenOnly(holder) : Error("invalid_grant");
                    }

                    return _refreshTokens.TryRemove(form["refresh_token"].ToString(), out var user) ? Tokens(issuer, user, null) : Error("invalid_grant");
                case "password":
                    var account = PasswordAccount;
                    return form["username"] == account.UserName && form["password"] == account.Password
                        ? Tokens(issuer, account.Subject, null)
                        : Error("invalid_grant", "The user name or password is wrong.");
                default:
                    return Error("unsupported_grant_type");
            }
        });
        app.MapGet("/api/catalog/orders", (HttpContext context) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !_accessTokens.TryGetValue(header[7..], out var user))
            {
                return Results.Problem("A buyer's access token is required.", statusCode: 401, title: "Unauthorized");
            }

            Interlocked.Increment(ref _ordersServed);
            return Results.Json(new
            {
                items = new[] { new { id = user == "buyer-1" ? 1 : 2, businessId = 1, status = "pending", total = 10m, currency = "KES", createdAt = DateTimeOffset.UnixEpoch, lines = Array.Empty<object>() } },
                nextCursor = (string?)null,
            });
        });
    }

    private IResult Tokens(string issuer, string user, string? nonce)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = Guid.NewGuid().ToString("N");
        var refresh = Guid.NewGuid().ToString("N");
        _accessTokens[access] = user;
        _refreshTokens[refresh] = user;
        var claims = new Dictionary<string, object> { ["iss"] = issuer, ["aud"] = "hive-mobile", ["sub"] = user, ["iat"] = now, ["exp"] = now + 300 };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        var idToken = $"{Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}.";
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = access,
            ["token_type"] = "Bearer",
            ["expires_in"] = AccessTokenSeconds,
            ["refresh_token"] = refresh,
            ["id_token"] = idToken,
            ["scope"] = "openid profile offline_access hive-api",
        });
    }

    /// <summary>A client may name itself in HTTP Basic instead of the form (RFC 6749, 2.3.1); a public client's secret is empty.</summary>
    private static string? BasicClientId(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
        return Uri.UnescapeDataString(pair.Split(':')[0]);
    }

    private IResult AccessTokenOnly(string user)
    {
        var access = Guid.NewGuid().ToString("N");
        _accessTokens[access] = user;
        return Results.Json(new Dictionary<string, object> { ["access_token"] = access, ["token_type"] = "Bearer", ["expires_in"] = AccessTokenSeconds });
    }

    private static IResult Error(string error, string? description = null)
        => Results.Json(description is null ? new Dictionary<string, string> { ["error"] = error } : new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: 400);

    private void Fail(string failure)
    {
        lock (Failures)
        {
            Failures.Add(failure);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
