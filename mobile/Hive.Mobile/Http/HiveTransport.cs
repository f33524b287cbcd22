using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hive.Mobile.Auth;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Models;
using Polly;

namespace Hive.Mobile.Http;

/// <summary>
/// Sends requests to the gateway: a fresh request per attempt, the body read completely inside the attempt
/// (so a connection dropped mid-answer is retried like any other transient failure), retries only where
/// <see cref="RetryPolicy"/> allows, and error answers turned into <see cref="HiveApiException"/>.
/// </summary>
internal sealed class HiveTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _retrying;
    private readonly ResiliencePipeline<HttpResponseMessage> _once;
    private readonly ConnectivityTracker _connectivity;

    public HiveTransport(HiveClientOptions options, ConnectivityTracker connectivity, ClientStatistics statistics)
    {
        _connectivity = connectivity;
        Statistics = statistics;
        var handler = options.InnerHandler ?? new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        _http = new HttpClient(handler, disposeHandler: options.InnerHandler is null)
        {
            BaseAddress = options.Gateway,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Hive.Mobile", "1.0"));
        _retrying = RetryPolicy.Build(options, retry: true);
        _once = RetryPolicy.Build(options, retry: false);
    }

    public ClientStatistics Statistics { get; }

    public IAccessTokenProvider? Tokens { get; set; }

    /// <summary>
    /// Sends the request <paramref name="create"/> makes (once per attempt) and returns the answer with its
    /// body buffered. Success and 304 are returned; anything else is thrown as <see cref="HiveApiException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, bool authenticate, CancellationToken cancellationToken)
    {
        if (_connectivity.PlatformOffline)
        {
            throw new HiveOfflineException("The device is offline.");
        }

        string? token = null;
        if (authenticate && Tokens is not null)
        {
            token = await Tokens.GetAccessTokenAsync(cancellationToken);
        }

        var probe = create();
        var pipeline = RetryPolicy.MayRetry(probe) ? _retrying : _once;
        probe.Dispose();

        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                async (state, ct) =>
                {
                    var request = state.create();
                    if (state.token is not null)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", state.token);
                    }

                    state.self.Statistics.RequestSent();
                    try
                    {
                        var answer = await state.self._http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                        if (RetryPolicy.IsTransient(Outcome.FromResult(answer), ct))
                        {
                            state.self.Statistics.AttemptFailed();
                            state.self._connectivity.Failed();
                        }
                        else
                        {
                            state.self._connectivity.Succeeded();
                        }

                        state.self.Statistics.Received(answer.Content.Headers.ContentLength ?? 0);
                        return answer;
                    }
                    // A lost connection, or an attempt the timeout gave up (ct is cancelled then too); not the caller's own cancellation.
                    catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !state.caller.IsCancellationRequested)
                    {
                        state.self.Statistics.AttemptFailed();
                        state.self._connectivity.Failed();
                        throw;
                    }
                },
                (self: this, create, token, caller: cancellationToken),
                cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or Polly.Timeout.TimeoutRejectedException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new HiveOfflineException($"The gateway could not be reached: {ex.Message}", ex);
        }

        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(response, cancellationToken);
        }
    }

    public static async Task<HiveApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = null;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (body.Length > 0 && response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                problem = JsonSerializer.Deserialize(body, HiveJsonContext.Default.ProblemDetails);
            }
            catch (JsonException)
            {
                // Not a ProblemDetails after all (a proxy's page); described from the status below.
            }
        }

        problem ??= new ProblemDetails { Status = (int)response.StatusCode, Title = response.ReasonPhrase };
        return new HiveApiException(response.StatusCode, problem);
    }

    public void Dispose() => _http.Dispose();
}
