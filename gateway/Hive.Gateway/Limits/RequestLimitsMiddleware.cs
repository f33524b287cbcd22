using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Hive.Gateway.Limits;

/// <summary>
/// Rejects oversized requests before they cost a service anything: a long query string or path (414),
/// too many header bytes (431) and a body over its route's limit (413), each a ProblemDetails naming the
/// limit. A declared <c>Content-Length</c> is refused at once without reading the body; a chunked body is
/// capped through Kestrel's per-request limit, which the forwarder error handler turns into the same 413.
/// </summary>
internal sealed class RequestLimitsMiddleware(RequestDelegate next, IOptionsMonitor<RequestLimitOptions> options, IProblemDetailsService problemDetails)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limits = options.CurrentValue;
        var request = context.Request;

        var queryLength = request.QueryString.HasValue ? request.QueryString.Value!.Length - 1 : 0;
        if (queryLength > limits.MaxQueryStringLength)
        {
            await RejectAsync(context, StatusCodes.Status414UriTooLong, "The query string is too long.",
                $"The query string has {queryLength} characters; at most {limits.MaxQueryStringLength} are accepted.");
            return;
        }

        var pathLength = request.PathBase.Value?.Length + request.Path.Value?.Length ?? 0;
        if (pathLength > limits.MaxPathLength)
        {
            await RejectAsync(context, StatusCodes.Status414UriTooLong, "The path is too long.",
                $"The path has {pathLength} characters; at most {limits.MaxPathLength} are accepted.");
            return;
        }

        var headerBytes = HeaderBytes(request.Headers, out var largest);
        if (headerBytes > limits.MaxHeadersTotalBytes)
        {
            await RejectAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request headers are too large.",
                $"The request headers take {headerBytes} bytes (the largest is '{largest}'); at most {limits.MaxHeadersTotalBytes} are accepted.");
            return;
        }

        var maxBody = limits.MaxBodyBytesFor(request.Path);
        if (request.ContentLength > maxBody)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, "The request body is too large.", TooLargeDetail(request.ContentLength.Value, maxBody));
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxBody;
        }

        context.Items[MaxBodyItem] = maxBody;
        await next(context);
    }

    /// <summary>Where the forwarder error handler finds the limit that applied, to name it in its 413.</summary>
    internal const string MaxBodyItem = "Hive.Gateway.MaxBodyBytes";

    internal static string TooLargeDetail(long? size, long max) => size is { } bytes
        ? $"The body has {bytes} bytes; this route accepts at most {max} bytes."
        : $"The body is larger than the {max} bytes this route accepts.";

    private static long HeaderBytes(IHeaderDictionary headers, out string largest)
    {
        long total = 0;
        long biggest = -1;
        largest = string.Empty;
        foreach (var (name, values) in headers)
        {
            long size = name.Length;
            foreach (var value in values)
            {
                size += (value?.Length ?? 0) + 4; // ": " and CRLF
            }

            total += size;
            if (size > biggest)
            {
                biggest = size;
                largest = name;
            }
        }

        return total;
    }

    private Task RejectAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            // The unread body would otherwise be drained; closing is cheaper than reading 50 MB to discard it.
            context.Response.Headers.Connection = "close";
        }

        return problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
