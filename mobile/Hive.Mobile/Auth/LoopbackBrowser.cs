using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Duende.IdentityModel.OidcClient.Browser;

namespace Hive.Mobile.Auth;

/// <summary>
/// The sign-in browser of a desktop app (RFC 8252, section 7.3): listens on a free loopback port, opens the
/// sign-in page in the system browser and hands back the URL the browser is redirected to. Set
/// <see cref="SignInOptions.RedirectUri"/> to <see cref="RedirectUri"/> (identity registers
/// <c>http://127.0.0.1/callback</c> for any port). Phones use their platform's authenticator with
/// <c>hive://callback</c> instead (MAUI's WebAuthenticator).
/// </summary>
public sealed class LoopbackBrowser : IBrowser
{
    private readonly Func<string, CancellationToken, Task> _open;

    /// <param name="open">Shows the sign-in page; by default the system browser (the URL is also what a terminal app prints).</param>
    public LoopbackBrowser(Func<string, CancellationToken, Task>? open = null)
    {
        _open = open ?? OpenSystemBrowserAsync;
        Port = FreePort();
    }

    public int Port { get; }

    public string RedirectUri => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/callback");

    /// <summary>How long the user has to sign in. Default 5 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    public async Task<BrowserResult> InvokeAsync(BrowserOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var listener = new HttpListener();
        listener.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));
        listener.Start();
        try
        {
            var arrival = listener.GetContextAsync();
            // Not awaited first: the browser's last step is the request this listener answers.
            var opening = _open(options.StartUrl, deadline.Token);
            try
            {
                if (await Task.WhenAny(arrival, opening).WaitAsync(deadline.Token) == opening && opening.IsFaulted)
                {
                    return new BrowserResult { ResultType = BrowserResultType.UnknownError, Error = "The sign-in page could not be opened: " + opening.Exception!.InnerException!.Message };
                }

                var context = await arrival.WaitAsync(deadline.Token);
                var url = context.Request.Url!.ToString();
                await AnswerAsync(context.Response);
                await opening.WaitAsync(deadline.Token);
                return new BrowserResult { ResultType = BrowserResultType.Success, Response = url };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new BrowserResult { ResultType = BrowserResultType.Timeout, Error = "No sign-in arrived in time." };
            }
        }
        finally
        {
            listener.Close();
        }
    }

    private static async Task AnswerAsync(HttpListenerResponse response)
    {
        var page = Encoding.UTF8.GetBytes("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Hive</title></head><body><p>Signed in. You can close this window and return to the app.</p></body></html>");
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength64 = page.Length;
        await response.OutputStream.WriteAsync(page);
        response.Close();
    }

    private static Task OpenSystemBrowserAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });
            return Task.CompletedTask;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            return Task.FromException(ex);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
