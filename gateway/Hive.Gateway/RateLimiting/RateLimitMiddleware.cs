using Hive.Caching;
using Microsoft.Extensions.Options;

namespace Hive.Gateway.RateLimiting;

/// <summary>
/// Checks every request against its policy's budget in Redis (Hive.Caching's sliding-window limiter,
/// shared by all gateway replicas) before it is forwarded; allowed answers carry the RateLimit headers,
/// refused ones are a 429 ProblemDetails with <c>Retry-After</c>. While Redis is down the cache library
/// limits each replica in memory (<see cref="RateLimitFailureMode.LocalFallback"/>), so an outage neither
/// opens the door nor closes it.
/// </summary>
internal sealed partial class RateLimitMiddleware(
    RequestDelegate next,
    IRedisPrimitives cache,
    IOptionsMonitor<GatewayRateLimitOptions> options,
    IProblemDetailsService problemDetails,
    TimeProvider time,
    ILogger<RateLimitMiddleware> logger)
{
    /// <summary>RFC 9457 registered problem type for a refused quota (draft-ietf-httpapi-ratelimit-headers).</summary>
    public const string QuotaExceededType = "https://iana.org/assignments/http-problem-types#quota-exceeded";

    public async Task InvokeAsync(HttpContext context)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            await next(context);
            return;
        }

        var name = settings.Rules.Find(rule => rule.Matches(context.Request))?.Policy ?? settings.DefaultPolicy;
        var policy = settings.Policies[name];
        var partition = RateLimitClient.PartitionOf(context);
        var result = await cache.CheckRateLimitAsync(cache.Keys.For("rate-" + name, partition), policy.Limit, policy.Window, context.RequestAborted);
        var now = time.GetUtcNow();

        if (result.Allowed)
        {
            // Headers go on before the service answers; YARP copies the service's headers beside them.
            RateLimitHeaders.Write(context.Response, name, policy, result, now);
            await next(context);
            return;
        }

        LogRefused(logger, name, partition, result.IsFallback);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        RateLimitHeaders.Write(context.Response, name, policy, result, now);
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Type = QuotaExceededType,
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"The '{name}' limit of {policy.Limit} requests per {(long)policy.Window.TotalSeconds} s is used up. Retry after {context.Response.Headers.RetryAfter} s.",
                Extensions = { ["violated-policies"] = new[] { name } },
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rate limit '{Policy}' refused {Partition} (in-memory fallback: {Fallback})")]
    private static partial void LogRefused(ILogger logger, string policy, string partition, bool fallback);
}
