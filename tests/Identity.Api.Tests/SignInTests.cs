using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Identity.Api.Tests;

[Collection(IdentityCollection.Name)]
public sealed class SignInTests(IdentityFixture identity)
{
    [Fact]
    public async Task TheMobileAppSignsInWithCodeAndPkceThroughTheLoginFormAndRefreshes()
    {
        using var browser = identity.CreateBrowser();
        var (verifier, challenge) = OidcClient.Pkce();
        // RFC 8252 loopback redirect: registered without a port, the app listens on any.
        const string redirectUri = "http://127.0.0.1:53791/callback";

        using var authorize = await browser.GetAsync(OidcClient.AuthorizeUrl(redirectUri, challenge, "state-1"));
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var loginPage = new Uri(identity.BaseAddress, authorize.Headers.Location!);
        Assert.Equal("/connect/login", loginPage.AbsolutePath);

        using var posted = await OidcClient.SubmitLoginFormAsync(browser, loginPage, "buyer-1@hive.test", IdentityFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        using var resumed = await browser.GetAsync(posted.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        var callback = resumed.Headers.Location!;
        Assert.StartsWith(redirectUri, callback.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal("state-1", query["state"].ToString());

        var (status, tokens) = await OidcClient.TokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = OidcClient.ClientId,
            ["code"] = query["code"].ToString(),
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var access = OidcClient.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Contains("buyer", Roles(access));
        Assert.Equal("hive-api", Audience(access));
        Assert.True(tokens.TryGetProperty("id_token", out _));

        var (refreshStatus, refreshed) = await OidcClient.TokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = OidcClient.ClientId,
            ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        });
        Assert.Equal(HttpStatusCode.OK, refreshStatus);
        Assert.Equal(access.GetProperty("sub").GetString(), OidcClient.Payload(refreshed.GetProperty("access_token").GetString()!).GetProperty("sub").GetString());

        // The code is single use: a replay is refused.
        var (replayStatus, replay) = await OidcClient.TokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = OidcClient.ClientId,
            ["code"] = query["code"].ToString(),
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.BadRequest, replayStatus);
        Assert.Equal("invalid_grant", replay.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ACodeIsNotExchangedWithoutItsPkceVerifier()
    {
        using var browser = identity.CreateBrowser();
        var (_, challenge) = OidcClient.Pkce();
        const string redirectUri = "hive://callback";
        using var authorize = await browser.GetAsync(OidcClient.AuthorizeUrl(redirectUri, challenge, "s"));
        using var posted = await OidcClient.SubmitLoginFormAsync(browser, new Uri(identity.BaseAddress, authorize.Headers.Location!), "buyer-2@hive.test", IdentityFixture.DemoPassword);
        using var resumed = await browser.GetAsync(posted.Headers.Location);
        var code = QueryHelpers.ParseQuery(resumed.Headers.Location!.Query)["code"].ToString();

        var (status, body) = await OidcClient.TokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = OidcClient.ClientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = OidcClient.Pkce().Verifier,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnAuthorizationRequestWithoutPkceOrWithAForeignRedirectIsRefused()
    {
        using var browser = identity.CreateBrowser();
        var noPkce = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = OidcClient.ClientId, ["redirect_uri"] = "hive://callback", ["response_type"] = "code", ["scope"] = "openid",
        });
        using var withoutPkce = await browser.GetAsync(noPkce);
        Assert.Equal(HttpStatusCode.BadRequest, withoutPkce.StatusCode);

        using var foreign = await browser.GetAsync(OidcClient.AuthorizeUrl("https://attacker.example/callback", OidcClient.Pkce().Challenge, "s"));
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
    }

    [Fact]
    public async Task ASellerTokenIsASignedJwtWithRoleAndBusinessThatValidatesThroughDiscovery()
    {
        using var http = identity.CreateBrowser();

        var (status, tokens) = await OidcClient.PasswordGrantAsync(http, "seller-2@hive.test", IdentityFixture.DemoPassword);

        Assert.Equal(HttpStatusCode.OK, status);
        var jwt = tokens.GetProperty("access_token").GetString()!;
        Assert.Equal(3, jwt.Split('.').Length); // JWS, not JWE (five parts)
        Assert.Equal("RS256", OidcClient.Header(jwt).GetProperty("alg").GetString());
        var claims = OidcClient.Payload(jwt);
        Assert.Equal(["seller"], Roles(claims));
        Assert.Equal("2", claims.GetProperty("business_id").GetString());
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("sub").GetString()));

        // What any service does: discovery, then keys, then issuer, audience, lifetime and signature.
        var metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            new Uri(identity.BaseAddress, "/.well-known/openid-configuration").ToString(),
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = false });
        var configuration = await metadata.GetConfigurationAsync(CancellationToken.None);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = "hive-api",
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = ["RS256"],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Contains("S256", configuration.CodeChallengeMethodsSupported);
    }

    [Fact]
    public async Task TheUserInfoAndMeEndpointsDescribeTheCaller()
    {
        using var http = identity.CreateBrowser();
        var (_, tokens) = await OidcClient.PasswordGrantAsync(http, "seller-1@hive.test", IdentityFixture.DemoPassword, "openid email");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());

        var me = await http.GetFromJsonAsync<JsonElement>("/api/identity/me");
        var userInfo = await http.GetFromJsonAsync<JsonElement>("/connect/userinfo");

        Assert.Equal("seller-1@hive.test", me.GetProperty("email").GetString());
        Assert.Equal("1", me.GetProperty("businessId").GetString());
        Assert.Equal(me.GetProperty("id").GetString(), userInfo.GetProperty("sub").GetString());
        Assert.Equal("seller-1@hive.test", userInfo.GetProperty("email").GetString());
    }

    [Fact]
    public async Task MeWithoutATokenIsA401Problem()
    {
        using var http = identity.CreateBrowser();

        using var response = await http.GetAsync("/api/identity/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ToolsUseClientCredentialsOutsideProductionAndAWrongSecretIsRefused()
    {
        using var http = identity.CreateBrowser();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "hive-tools", ["client_secret"] = IdentityFixture.ToolsSecret,
        };

        var (status, tokens) = await OidcClient.TokenAsync(http, form);
        form["client_secret"] = "wrong";
        var (wrongStatus, wrong) = await OidcClient.TokenAsync(http, form);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hive-tools", OidcClient.Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("sub").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongStatus);
        Assert.Equal("invalid_client", wrong.GetProperty("error").GetString());
    }

    internal static string[] Roles(JsonElement claims) => claims.GetProperty("role") switch
    {
        { ValueKind: JsonValueKind.Array } array => [.. array.EnumerateArray().Select(r => r.GetString()!)],
        var single => [single.GetString()!],
    };

    internal static string Audience(JsonElement claims) => claims.GetProperty("aud") switch
    {
        { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Single().GetString()!,
        var single => single.GetString()!,
    };
}
