using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A request that failed because the database is sick (timeout, broken connection, open breaker) is a
/// 503 ProblemDetails with <c>Retry-After</c>, never a 500; the failure feeds the breaker.
/// </summary>
internal sealed class DatabaseExceptionHandler(DatabaseGuard guard, IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var open = Find<DatabaseUnavailableException>(exception);
        if (open is null)
        {
            if (!DatabaseGuard.IsDatabaseFailure(exception))
            {
                return false;
            }

            await guard.ReportAsync(exception);
        }

        var retryAfter = open?.RetryAfter ?? TimeSpan.FromSeconds(1);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is not available.",
                Detail = open is not null
                    ? "The database is not answering, so this request was refused at once. Cached pages are still served; try again shortly."
                    : "The database did not answer in time. Try again shortly.",
            },
        });
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T match)
            {
                return match;
            }
        }

        return null;
    }
}
