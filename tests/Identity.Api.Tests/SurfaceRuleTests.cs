using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;

namespace Identity.Api.Tests;

/// <summary>
/// Rules of identity's public surface that mutation testing found unpinned: the sign-in form's protections,
/// the password and email policy, what discovery advertises, token lifetimes and the demo accounts.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class SurfaceRuleTests(IdentityFixture identity)
{
    [Fact]
    public async Task TheSignInFormCannotBeFramedAndLoadsNothingFromElsewhere()
    {
        using var browser = identity.CreateBrowser();

        using var form = await browser.GetAsync("/connect/login");

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("DENY", form.Headers.GetValues("X-Frame-Options").Single());
        var policy = form.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example/steal")]
    [InlineData("/\\evil.example/steal")]
    [InlineData("https://evil.example/steal")]
    public async Task TheSignInFormNeverSendsABrowserToAnotherSite(string returnUrl)
    {
        using var browser = identity.CreateBrowser();
        var login = new Uri(identity.BaseAddress, "/connect/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));

        using var signedIn = await OidcClient.SubmitLoginFormAsync(browser, login, "buyer-2@hive.test", IdentityFixture.DemoPassword);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/connect/login/done", signedIn.Headers.Location?.OriginalString);
        using var done = await browser.GetAsync("/connect/login/done");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("You are signed in", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningInSetsASessionCookieThatEndsWithTheBrowser()
    {
        using var browser = identity.CreateBrowser();

        using var signedIn = await OidcClient.SubmitLoginFormAsync(browser, new Uri(identity.BaseAddress, "/connect/login"), "buyer-2@hive.test", IdentityFixture.DemoPassword);

        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hive.identity=", StringComparison.Ordinal));
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AWrongPasswordKeepsTheEmailTypedInTheForm()
    {
        using var browser = identity.CreateBrowser();

        using var refused = await OidcClient.SubmitLoginFormAsync(browser, new Uri(identity.BaseAddress, "/connect/login"), "buyer-3@hive.test", "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("value=\"buyer-3@hive.test\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Long passphrases are the advice: neither capitals nor symbols are demanded, only length.</summary>
    [Theory]
    [InlineData("CORRECT HORSE BATTERY STAPLE")]
    [InlineData("correcthorsebatterystaple")]
    public async Task APassphraseOfPlainWordsIsAccepted(string password)
    {
        using var http = identity.CreateBrowser();
        var email = $"phrase-{Guid.NewGuid():N}@hive.test";

        using var registered = await http.PostAsJsonAsync("/api/identity/register", new { email, password });

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal("/api/identity/me", registered.Headers.Location?.OriginalString);
        var account = await registered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(email, account.GetProperty("email").GetString());
    }

    [Fact]
    public async Task AnEmailOf254CharactersIsAcceptedAndOf255Refused()
    {
        using var http = identity.CreateBrowser();
        var domain = "@hive.test";
        var longest = new string('a', 254 - domain.Length - 8) + Guid.NewGuid().ToString("N")[..8] + domain;
        var tooLong = "b" + longest;

        using var accepted = await http.PostAsJsonAsync("/api/identity/register", new { email = longest, password = "long-enough-passphrase" });
        using var refused = await http.PostAsJsonAsync("/api/identity/register", new { email = tooLong, password = "long-enough-passphrase" });

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("email", out _));
    }

    [Fact]
    public async Task ATooShortPasswordIsRefusedWithTheRuleItBroke()
    {
        using var http = identity.CreateBrowser();

        using var refused = await http.PostAsJsonAsync("/api/identity/register", new { email = $"short-{Guid.NewGuid():N}@hive.test", password = "abc" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.False(errors.TryGetProperty("email", out _), errors.GetRawText());
        var message = errors.GetProperty("password")[0].GetString()!;
        Assert.Contains("at least", message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(424242)]
    public async Task ASellerForNoBusinessIsA400NamingTheBusiness(long businessId)
    {
        using var admin = identity.CreateBrowser();
        var (_, tokens) = await OidcClient.PasswordGrantAsync(admin, "admin@hive.test", IdentityFixture.DemoPassword);
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());

        using var refused = await admin.PostAsJsonAsync("/api/identity/sellers", new { email = $"s-{Guid.NewGuid():N}@hive.test", password = "sells-tomatoes-1", businessId });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("businessId")[0].GetString();
        Assert.Contains("business", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeForAnAccountRemovedSinceTheTokenWasIssuedIsA404()
    {
        using var http = identity.CreateBrowser();
        var email = $"leaving-{Guid.NewGuid():N}@hive.test";
        (await http.PostAsJsonAsync("/api/identity/register", new { email, password = "goodbye-passphrase-1" })).EnsureSuccessStatusCode();
        var (_, tokens) = await OidcClient.PasswordGrantAsync(http, email, "goodbye-passphrase-1");
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        using (var before = await http.GetAsync("/api/identity/me"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await identity.ExecuteAsync("""DELETE FROM identity."AspNetUsers" WHERE "NormalizedEmail" = $1""", email.ToUpperInvariant());
        using var after = await http.GetAsync("/api/identity/me");

        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    /// <summary>The mobile SDK finds every endpoint through discovery.</summary>
    [Fact]
    public async Task DiscoveryAdvertisesTheEndpointsTheAppUses()
    {
        using var http = identity.CreateBrowser();

        var discovery = await http.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");

        Assert.EndsWith("/connect/authorize", discovery.GetProperty("authorization_endpoint").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/userinfo", discovery.GetProperty("userinfo_endpoint").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/endsession", discovery.GetProperty("end_session_endpoint").GetString(), StringComparison.Ordinal);
        var jwks = discovery.GetProperty("jwks_uri").GetString()!;
        Assert.EndsWith("/.well-known/jwks", jwks, StringComparison.Ordinal);
        var keys = await http.GetFromJsonAsync<JsonElement>(new Uri(jwks).PathAndQuery);
        Assert.True(keys.GetProperty("keys").GetArrayLength() > 0);
    }

    [Fact]
    public async Task AnAccessTokenLivesFifteenMinutes()
    {
        using var http = identity.CreateBrowser();

        var (_, tokens) = await OidcClient.PasswordGrantAsync(http, "buyer-1@hive.test", IdentityFixture.DemoPassword);

        Assert.Equal(900, tokens.GetProperty("expires_in").GetInt32(), tolerance: 5);
        var claims = OidcClient.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(900, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
    }

    [Theory]
    [InlineData("buyer-1@hive.test")]
    [InlineData("buyer-2@hive.test")]
    [InlineData("buyer-3@hive.test")]
    [InlineData("admin@hive.test")]
    public async Task EveryDemoAccountSignsIn(string email)
    {
        using var http = identity.CreateBrowser();

        var (status, _) = await OidcClient.PasswordGrantAsync(http, email, IdentityFixture.DemoPassword);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/live")]
    public async Task HealthEndpointsAnswer(string path)
    {
        using var http = identity.CreateBrowser();
        await ServiceSurface.AssertHealthyAsync(http, path);
    }
}
