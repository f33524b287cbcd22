using System.Net;
using System.Text.RegularExpressions;
using Duende.IdentityModel.OidcClient.Browser;

namespace Hive.Mobile.Tests.Auth;

/// <summary>
/// A browser for the identity service's sign-in page, driven with HttpClient: it follows redirects with its
/// own cookie jar, fills in the plain HTML form it is shown (keeping its hidden fields: antiforgery token and
/// return URL) and stops at the app's redirect URI, handing that URL back as a platform browser would.
/// </summary>
internal sealed partial class LoginFormBrowser(string userName, string password) : IBrowser
{
    private const int MaxSteps = 12;
    private readonly CookieContainer _cookies = new();

    /// <summary>Sign-in forms filled in so far (a second sign-in with a live session needs none).</summary>
    public int FormsSubmitted { get; private set; }

    /// <summary>Every address this browser was sent to, for the failure message.</summary>
    public List<string> Visited { get; } = [];

    public async Task<BrowserResult> InvokeAsync(BrowserOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = _cookies, UseCookies = true });
        http.Timeout = TimeSpan.FromSeconds(60);
        HttpRequestMessage next = new(HttpMethod.Get, options.StartUrl);
        for (var step = 0; step < MaxSteps; step++)
        {
            var address = next.RequestUri!;
            Visited.Add($"{next.Method} {address.GetLeftPart(UriPartial.Path)}");
            using var response = await http.SendAsync(next, cancellationToken);
            next.Dispose();
            if (response.Headers.Location is { } location)
            {
                var target = new Uri(address, location);
                if (target.ToString().StartsWith(options.EndUrl, StringComparison.Ordinal))
                {
                    return new BrowserResult { ResultType = BrowserResultType.Success, Response = target.ToString() };
                }

                next = new HttpRequestMessage(HttpMethod.Get, target);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK || FormAction().Match(html) is not { Success: true } form)
            {
                return new BrowserResult { ResultType = BrowserResultType.UnknownError, Error = $"{address} answered {(int)response.StatusCode} without a sign-in form: {html[..Math.Min(300, html.Length)]}" };
            }

            var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
            fields["username"] = userName;
            fields["password"] = password;
            FormsSubmitted++;
            next = new HttpRequestMessage(HttpMethod.Post, new Uri(address, WebUtility.HtmlDecode(form.Groups["action"].Value))) { Content = new FormUrlEncodedContent(fields) };
        }

        return new BrowserResult { ResultType = BrowserResultType.UnknownError, Error = "no way back to the app after " + string.Join(" → ", Visited) };
    }

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*action=\"(?<action>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
