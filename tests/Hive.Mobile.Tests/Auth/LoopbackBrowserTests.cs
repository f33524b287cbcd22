using Duende.IdentityModel.OidcClient.Browser;
using Hive.Mobile.Auth;

namespace Hive.Mobile.Tests.Auth;

/// <summary>
/// A desktop app's sign-in browser (RFC 8252, 7.3): it listens on its loopback redirect address, shows the sign-in
/// page, and hands back the address the browser was sent to. Here "the browser" is an HttpClient that follows
/// the sign-in page's redirect to that address.
/// </summary>
public sealed class LoopbackBrowserTests
{
    [Fact]
    public async Task TheAddressTheBrowserIsSentBackToIsHandedOverAndTheBrowserToldItMayClose()
    {
        string? page = null;
        LoopbackBrowser? browser = null;
        browser = new LoopbackBrowser(async (url, ct) =>
        {
            Assert.Equal("https://identity.example/connect/authorize?client_id=hive-mobile", url);
            using var http = new HttpClient();
            page = await http.GetStringAsync(browser!.RedirectUri + "?code=abc&state=xyz", ct);
        });

        var result = await browser.InvokeAsync(Options(browser)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(BrowserResultType.Success, result.ResultType);
        Assert.Equal($"{browser.RedirectUri}?code=abc&state=xyz", result.Response);
        Assert.Contains("Signed in. You can close this window", page);
        Assert.Equal($"http://127.0.0.1:{browser.Port}/callback", browser.RedirectUri);
        Assert.InRange(browser.Port, 1, 65535);
    }

    [Fact]
    public async Task ASignInPageThatCannotBeOpenedIsAnErrorThatSaysWhy()
    {
        var browser = new LoopbackBrowser((_, _) => Task.FromException(new InvalidOperationException("no browser on this machine")));

        var result = await browser.InvokeAsync(Options(browser)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(BrowserResultType.UnknownError, result.ResultType);
        Assert.Equal("The sign-in page could not be opened: no browser on this machine", result.Error);
    }

    [Fact]
    public async Task NoSignInWithinTheTimeIsATimeoutAndTheCallersCancellationIsACancellation()
    {
        var waiting = new LoopbackBrowser((_, ct) => Task.Delay(Timeout.Infinite, ct)) { Timeout = TimeSpan.FromMilliseconds(200) };
        var result = await waiting.InvokeAsync(Options(waiting)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(BrowserResultType.Timeout, result.ResultType);
        Assert.Equal("No sign-in arrived in time.", result.Error);

        var cancelled = new LoopbackBrowser((_, ct) => Task.Delay(Timeout.Infinite, ct));
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.InvokeAsync(Options(cancelled), caller.Token).WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => cancelled.InvokeAsync(null!));
    }

    private static BrowserOptions Options(LoopbackBrowser browser)
        => new("https://identity.example/connect/authorize?client_id=hive-mobile", browser.RedirectUri);
}
