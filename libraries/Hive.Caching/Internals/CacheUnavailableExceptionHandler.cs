using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hive.Caching;

/// <summary>
/// A request that needs Redis and cannot be answered without it (a counter, a leaderboard, a lock) is a
/// 503 ProblemDetails with <c>Retry-After</c> (the cache's circuit-breaker time), never a 500: the client
/// learns the service is briefly degraded, not broken, and when to come back.
/// </summary>
internal sealed class CacheUnavailableExceptionHandler(IOptions<HiveCacheOptions> options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var unavailable = Find(exception);
        if (unavailable is null)
        {
            return false;
        }

        var retryAfter = Math.Max(1, Math.Ceiling(options.Value.CircuitBreakerDuration.TotalSeconds));
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The cache is not available.",
            Detail = unavailable is LockUnavailableException
                ? "This request needs a lock held in Redis, which is not answering. Try again shortly."
                : "This request needs Redis, which is not answering. Try again shortly.",
        };
        if (httpContext.RequestServices.GetService<IProblemDetailsService>() is { } problemDetails
            && await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem }))
        {
            return true;
        }

        await TypedResults.Problem(problem).ExecuteAsync(httpContext);
        return true;
    }

    private static CacheUnavailableException? Find(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is CacheUnavailableException match)
            {
                return match;
            }
        }

        return null;
    }
}
