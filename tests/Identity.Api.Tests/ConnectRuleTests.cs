using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Identity.Api.Tests;

/// <summary>
/// The rules of the connect endpoints the other tests pass through without pinning: a signed-in browser
/// is not asked again unless the app says <c>prompt=login</c>; signing out ends the browser's session; a
/// refresh stops working once the account cannot sign in; and which claim goes into which token.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class ConnectRuleTests(IdentityFixture identity)
{
    private const string RedirectUri = "hive://callback";

    [Fact]
    public async Task ASignedInBrowserIsNotAskedAgainUnlessPromptLoginWhichSignsItOutAndComesBackToTheRequest()
    {
        using var browser = identity.CreateBrowser();
        await SignInThroughTheFormAsync(browser, "buyer-2@hive.test");

        // Signed in: straight back to the app with a code.
        Assert.StartsWith(RedirectUri, (await AuthorizeAsync(browser, "again")).ToString(), StringComparison.Ordinal);

        // prompt=login: to the form, which returns to this request without the prompt (no loop) ...
        var login = await AuthorizeAsync(browser, "fresh", prompt: "login");
        Assert.Equal("/connect/login", login.AbsolutePath);
        var returnUrl = QueryHelpers.ParseQuery(login.Query)["ReturnUrl"].ToString();
        Assert.StartsWith("/connect/authorize?", returnUrl, StringComparison.Ordinal);
        Assert.DoesNotContain("prompt", returnUrl, StringComparison.Ordinal);
        Assert.Contains("state=fresh", returnUrl, StringComparison.Ordinal);

        // ... and the old session is over: a plain request now asks for the password too.
        Assert.Equal("/connect/login", (await AuthorizeAsync(browser, "after")).AbsolutePath);

        using var posted = await OidcClient.SubmitLoginFormAsync(browser, new Uri(identity.BaseAddress, login.PathAndQuery), "buyer-2@hive.test", IdentityFixture.DemoPassword);
        Assert.Equal(returnUrl, posted.Headers.Location!.OriginalString);
        using var resumed = await browser.GetAsync(posted.Headers.Location);
        Assert.Equal("fresh", QueryHelpers.ParseQuery(resumed.Headers.Location!.Query)["state"].ToString());
    }

    [Fact]
    public async Task PromptNoneForABrowserThatIsNotSignedInReturnsLoginRequiredToTheApp()
    {
        using var browser = identity.CreateBrowser();

        var answer = await AuthorizeAsync(browser, "quiet", prompt: "none");

        Assert.StartsWith(RedirectUri, answer.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(answer.Query);
        Assert.Equal("login_required", query["error"].ToString());
        Assert.Equal("The user is not signed in.", query["error_description"].ToString());
        Assert.Equal("quiet", query["state"].ToString());
    }

    [Fact]
    public async Task EndSessionSignsTheBrowserOutAndReturnsToTheRegisteredAddress()
    {
        using var browser = identity.CreateBrowser();
        await SignInThroughTheFormAsync(browser, "buyer-3@hive.test");

        using var ended = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/endsession", new Dictionary<string, string?>
        {
            ["client_id"] = OidcClient.ClientId, ["post_logout_redirect_uri"] = RedirectUri, ["state"] = "bye",
        }));

        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        var back = ended.Headers.Location!;
        Assert.Equal(new Uri(RedirectUri).GetLeftPart(UriPartial.Path), back.GetLeftPart(UriPartial.Path));
        Assert.Equal("bye", QueryHelpers.ParseQuery(back.Query)["state"].ToString());
        Assert.Equal("/connect/login", (await AuthorizeAsync(browser, "after")).AbsolutePath);
    }

    [Fact]
    public async Task ARefreshIsRefusedOnceTheAccountIsLockedOutAndWhenItIsGone()
    {
        using var http = identity.CreateBrowser();
        var email = $"refresh-{Guid.NewGuid():N}@hive.test";
        const string password = "long-enough-passphrase";
        using (var registered = await http.PostAsJsonAsync("/api/identity/register", new { email, password }))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var (_, tokens) = await OidcClient.PasswordGrantAsync(http, email, password);
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        var (freshStatus, fresh) = await RefreshAsync(http, refreshToken);
        Assert.Equal(HttpStatusCode.OK, freshStatus);
        refreshToken = fresh.GetProperty("refresh_token").GetString()!;

        await identity.ExecuteAsync("""UPDATE identity."AspNetUsers" SET "LockoutEnd" = now() + interval '1 hour' WHERE "NormalizedEmail" = $1""", email.ToUpperInvariant());
        var (lockedStatus, locked) = await RefreshAsync(http, refreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, lockedStatus);
        Assert.Equal("invalid_grant", locked.GetProperty("error").GetString());
        Assert.Equal("The sign-in is no longer valid; sign in again.", locked.GetProperty("error_description").GetString());

        await identity.ExecuteAsync("""UPDATE identity."AspNetUsers" SET "LockoutEnd" = NULL WHERE "NormalizedEmail" = $1""", email.ToUpperInvariant());
        var (unlockedStatus, unlocked) = await RefreshAsync(http, refreshToken);
        Assert.Equal(HttpStatusCode.OK, unlockedStatus);

        await identity.ExecuteAsync("""DELETE FROM identity."AspNetUsers" WHERE "NormalizedEmail" = $1""", email.ToUpperInvariant());
        var (goneStatus, gone) = await RefreshAsync(http, unlocked.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, goneStatus);
        Assert.Equal("invalid_grant", gone.GetProperty("error").GetString());
    }

    [Fact]
    public async Task TokensCarryRoleBusinessAndNameEmailOnlyWhenAskedAndNoInternalClaim()
    {
        using var http = identity.CreateBrowser();

        var (_, plain) = await OidcClient.PasswordGrantAsync(http, "seller-1@hive.test", IdentityFixture.DemoPassword, "openid");
        var (_, withEmail) = await OidcClient.PasswordGrantAsync(http, "seller-1@hive.test", IdentityFixture.DemoPassword, "openid email");

        foreach (var tokens in new[] { plain, withEmail })
        {
            foreach (var kind in new[] { "access_token", "id_token" })
            {
                var claims = OidcClient.Payload(tokens.GetProperty(kind).GetString()!);
                Assert.Equal(["seller"], SignInTests.Roles(claims));
                Assert.Equal("1", claims.GetProperty("business_id").GetString());
                Assert.Equal("seller-1@hive.test", claims.GetProperty("name").GetString());
                Assert.DoesNotContain("SecurityStamp", claims.GetRawText(), StringComparison.OrdinalIgnoreCase);
            }

            var access = OidcClient.Payload(tokens.GetProperty("access_token").GetString()!);
            Assert.Contains("hive-api", access.GetProperty("scope").GetString()!.Split(' '));
        }

        Assert.False(OidcClient.Payload(plain.GetProperty("id_token").GetString()!).TryGetProperty("email", out _));
        Assert.Equal("seller-1@hive.test", OidcClient.Payload(withEmail.GetProperty("id_token").GetString()!).GetProperty("email").GetString());
        Assert.False(OidcClient.Payload(withEmail.GetProperty("access_token").GetString()!).TryGetProperty("email", out _));
    }

    [Fact]
    public async Task AToolsTokenIsForTheHiveApiAndNamesTheClient()
    {
        using var http = identity.CreateBrowser();

        var (status, tokens) = await OidcClient.TokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "hive-tools", ["client_secret"] = IdentityFixture.ToolsSecret,
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var access = OidcClient.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal("hive-api", SignInTests.Audience(access));
        Assert.Contains("hive-api", access.GetProperty("scope").GetString()!.Split(' '));
        Assert.Equal("hive-tools", access.GetProperty("name").GetString());
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(HttpClient http, string refreshToken)
        => OidcClient.TokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = OidcClient.ClientId, ["refresh_token"] = refreshToken,
        });

    /// <summary>Sends an authorization request and returns where the identity service sent the browser.</summary>
    private async Task<Uri> AuthorizeAsync(HttpClient browser, string state, string? prompt = null)
    {
        var url = OidcClient.AuthorizeUrl(RedirectUri, OidcClient.Pkce().Challenge, state);
        if (prompt is not null)
        {
            url = QueryHelpers.AddQueryString(url, "prompt", prompt);
        }

        using var answer = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var location = answer.Headers.Location!;
        return location.IsAbsoluteUri ? location : new Uri(identity.BaseAddress, location);
    }

    private async Task SignInThroughTheFormAsync(HttpClient browser, string user)
    {
        var login = await AuthorizeAsync(browser, "first");
        using var posted = await OidcClient.SubmitLoginFormAsync(browser, login, user, IdentityFixture.DemoPassword);
        using var resumed = await browser.GetAsync(posted.Headers.Location);
        Assert.StartsWith(RedirectUri, resumed.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
