using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Identity.Api.Tests;

/// <summary>What a native app does against the identity service, spelled out over plain HTTP.</summary>
internal static partial class OidcClient
{
    public const string ClientId = "hive-mobile";

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PasswordGrantAsync(HttpClient http, string user, string password, string scope = "openid offline_access")
        => await TokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = ClientId,
            ["username"] = user,
            ["password"] = password,
            ["scope"] = scope,
        });

    public static async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(HttpClient http, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body);
    }

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(string redirectUri, string challenge, string state, string scope = "openid offline_access")
        => QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = ClientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = scope,
            ["state"] = state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });

    /// <summary>Fills and posts the sign-in form a browser was sent to; returns the answer to the post.</summary>
    public static async Task<HttpResponseMessage> SubmitLoginFormAsync(HttpClient browser, Uri loginPage, string user, string password)
    {
        var html = await browser.GetStringAsync(loginPage);
        var fields = HiddenField().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["username"] = user;
        fields["password"] = password;
        var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups["action"].Value);
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1];
        return JsonSerializer.Deserialize<JsonElement>(WebEncoders.Base64UrlDecode(part));
    }

    public static JsonElement Header(string jwt)
        => JsonSerializer.Deserialize<JsonElement>(WebEncoders.Base64UrlDecode(jwt.Split('.')[0]));

    private static string Base64Url(byte[] bytes) => WebEncoders.Base64UrlEncode(bytes);

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenField();

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]+)\">")]
    private static partial Regex FormAction();
}
