using Yarp.ReverseProxy.Forwarder;

namespace Hive.Gateway;

/// <summary>
/// YARP answers a failed forward with a bare status code. Clients get a ProblemDetails instead: 503 when
/// the service is down or unreachable, 504 when it did not answer within the cluster's timeout.
/// </summary>
internal sealed partial class ForwarderErrorProblemDetailsMiddleware(
    RequestDelegate next,
    IProblemDetailsService problemDetails,
    ILogger<ForwarderErrorProblemDetailsMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted)
        {
            return;
        }

        if (IsBodyTooLarge(error))
        {
            await WriteBodyTooLargeAsync(context);
            return;
        }

        var cluster = context.GetReverseProxyFeature().Cluster?.Config.ClusterId ?? "unknown";
        var timedOut = error.Error is ForwarderError.RequestTimedOut;
        var status = timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable;
        LogForwardFailed(logger, cluster, error.Error, error.Exception?.Message);

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.Headers.RetryAfter = "5";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = status,
                Title = timedOut ? "The service did not answer in time." : "The service is unavailable.",
                Detail = timedOut
                    ? $"The '{cluster}' service did not answer within the gateway's timeout. Try again shortly."
                    : $"The '{cluster}' service could not be reached ({error.Error}). Try again shortly.",
            },
        });
    }

    /// <summary>A chunked body that ran past the route's limit (Kestrel stopped reading it mid-forward).</summary>
    private static bool IsBodyTooLarge(IForwarderErrorFeature error)
        => error.Error is ForwarderError.RequestBodyClient
           && (error.Exception as BadHttpRequestException ?? error.Exception?.InnerException as BadHttpRequestException)
              is { StatusCode: StatusCodes.Status413PayloadTooLarge };

    private Task WriteBodyTooLargeAsync(HttpContext context)
    {
        var max = context.Items[Limits.RequestLimitsMiddleware.MaxBodyItem] as long?;
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.Headers.Connection = "close";
        return problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request body is too large.",
                Detail = max is { } limit ? Limits.RequestLimitsMiddleware.TooLargeDetail(null, limit) : "The body is larger than this route accepts.",
            },
        }).AsTask();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to cluster {Cluster} failed: {Error} {Reason}")]
    private static partial void LogForwardFailed(ILogger logger, string cluster, ForwarderError error, string? reason);
}
