using Duende.IdentityModel.OidcClient.Browser;

namespace Hive.Mobile.Tests.Auth;

/// <summary>
/// What a platform browser does on a sign-in page that signs in at once: opens the start URL and hands back
/// the URL it was redirected to. MAUI's WebAuthenticator plays this part on a phone.
/// </summary>
internal sealed class FollowRedirectBrowser : IBrowser
{
    public async Task<BrowserResult> InvokeAsync(BrowserOptions options, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var response = await http.GetAsync(options.StartUrl, cancellationToken);
        var location = response.Headers.Location?.ToString();
        return location is not null && location.StartsWith(options.EndUrl, StringComparison.Ordinal)
            ? new BrowserResult { ResultType = BrowserResultType.Success, Response = location }
            : new BrowserResult { ResultType = BrowserResultType.UnknownError, Error = $"sign-in page answered {(int)response.StatusCode}" };
    }
}
