using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Xunit;

namespace Hive.Testing;

/// <summary>
/// Signs a user in through the gateway as the mobile app does: authorization code with PKCE, the login
/// form in a cookie-keeping "browser", then the code exchanged for tokens. Works in every environment (Production offers no password grant: benchmarks of a Production fleet sign in this way).
/// </summary>
public static partial class CodeFlow
{
    public const string RedirectUri = "http://127.0.0.1:49321/callback";

    /// <summary>The token endpoint's answer (access_token, refresh_token, ...).</summary>
    public static async Task<JsonElement> SignInAsync(Uri gateway, string user, string password)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var challenge = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        using var authorize = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = "hive-mobile", ["redirect_uri"] = RedirectUri, ["response_type"] = "code",
            ["scope"] = "openid offline_access", ["state"] = "fleet", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        }));
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var loginPage = new Uri(gateway, authorize.Headers.Location!);
        Assert.Equal(gateway.Authority, loginPage.Authority);

        var html = await browser.GetStringAsync(loginPage);
        var form = HiddenField().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["username"] = user;
        form["password"] = password;
        using var posted = await browser.PostAsync("/connect/login", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        using var resumed = await browser.GetAsync(posted.Headers.Location);
        var callback = resumed.Headers.Location!;
        Assert.StartsWith(RedirectUri, callback.ToString(), StringComparison.Ordinal);

        using var exchange = await browser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = "hive-mobile", ["redirect_uri"] = RedirectUri,
            ["code"] = QueryHelpers.ParseQuery(callback.Query)["code"].ToString(), ["code_verifier"] = verifier,
        }));
        var tokens = await exchange.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(exchange.StatusCode == HttpStatusCode.OK, $"code exchange answered {(int)exchange.StatusCode}: {tokens}");
        return tokens;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
