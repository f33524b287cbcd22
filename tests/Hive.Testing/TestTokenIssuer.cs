using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hive.Testing;

/// <summary>
/// A stand-in OpenID provider for service tests: a real Kestrel on a loopback port serving the discovery
/// document and the JSON Web Key Set, so a service under test validates tokens exactly as in the fleet
/// (Authority → discovery → keys). It mints tokens with any claims, lifetime, audience, issuer, key or
/// none at all, so tests can prove each kind of bad token is refused.
/// </summary>
public sealed class TestTokenIssuer : IAsyncDisposable
{
    public const string Audience = "hive-api";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TestTokenIssuer> ByAuthority = new(StringComparer.Ordinal);

    private readonly WebApplication _app;

    private TestTokenIssuer(WebApplication app, string authority, RsaSecurityKey key)
    {
        _app = app;
        Authority = authority;
        SigningKey = key;
    }

    /// <summary>The base URL to give a service as <c>Hive:Auth:Authority</c>; also the issuer of its tokens.</summary>
    public string Authority { get; }

    /// <summary>The key published in the JWKS and used by <see cref="Mint"/> unless told otherwise.</summary>
    public RsaSecurityKey SigningKey { get; }

    /// <summary>Settings that point a service at this issuer (for <c>UseSetting</c> or in-memory configuration).</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hive:Auth:Authority"] = Authority,
        ["Hive:Auth:RequireHttpsMetadata"] = "false",
    };

    public static async Task<TestTokenIssuer> StartAsync()
    {
        var key = NewKey();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        string? authority = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = authority!,
            ["jwks_uri"] = authority + "/.well-known/jwks",
            ["authorization_endpoint"] = authority + "/connect/authorize",
            ["token_endpoint"] = authority + "/connect/token",
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        }));
        app.MapGet("/.well-known/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);
            return Results.Json(new
            {
                keys = new[] { new { kty = jwk.Kty, use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = jwk.Kid, n = jwk.N, e = jwk.E } },
            });
        });
        await app.StartAsync();
        authority = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        var issuer = new TestTokenIssuer(app, authority, key);
        ByAuthority[authority] = issuer;
        return issuer;
    }

    /// <summary>The running issuer a service was pointed at (its <c>Hive:Auth:Authority</c> setting).</summary>
    public static TestTokenIssuer ForAuthority(string authority)
        => ByAuthority.TryGetValue(authority.TrimEnd('/'), out var issuer)
            ? issuer
            : throw new InvalidOperationException($"No test token issuer runs at {authority}.");

    /// <summary>A fresh RSA key with a key id, for tokens signed by a key the issuer never published.</summary>
    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)) };

    public string Seller(long businessId, string? subject = null)
        => Mint(subject ?? $"seller-{businessId}", ["seller"], new Dictionary<string, object> { ["business_id"] = businessId.ToString(CultureInfo.InvariantCulture) });

    public string Buyer(string subject = "buyer-1") => Mint(subject, ["buyer"]);

    public string Admin(string subject = "admin-1") => Mint(subject, ["admin"]);

    /// <summary>
    /// A token for <paramref name="subject"/> with <paramref name="roles"/>. Defaults: valid now for 15 min,
    /// audience hive-api, this issuer, RS256 with the published key. <paramref name="unsigned"/> gives
    /// <c>alg: none</c>.
    /// </summary>
    public string Mint(
        string subject,
        IReadOnlyList<string> roles,
        IReadOnlyDictionary<string, object>? claims = null,
        TimeSpan? lifetime = null,
        DateTime? notBefore = null,
        string? audience = Audience,
        string? issuer = null,
        SecurityKey? key = null,
        bool unsigned = false)
    {
        var from = notBefore ?? DateTime.UtcNow.AddSeconds(-5);
        var payload = new Dictionary<string, object> { ["sub"] = subject, ["role"] = roles.ToArray() };
        foreach (var (name, value) in claims ?? new Dictionary<string, object>())
        {
            payload[name] = value;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Authority,
            Audience = audience,
            Claims = payload,
            IssuedAt = from,
            NotBefore = from,
            Expires = from + (lifetime ?? TimeSpan.FromMinutes(15)),
            TokenType = "at+jwt",
            SigningCredentials = unsigned ? null : new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        ByAuthority.TryRemove(Authority, out _);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
