using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Hive.Mobile.Http;

/// <summary>
/// Which requests may be sent again, and how. Safe methods and POSTs that carry an Idempotency-Key are
/// retried up to three times with exponential backoff and jitter on transient failures (connection errors,
/// timeouts, 408, 429, 5xx), waiting as long as Retry-After says on 429/503. Any other 4xx is an answer,
/// never retried; a POST without a key is never retried because the first attempt may have landed.
/// </summary>
internal static class RetryPolicy
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static bool MayRetry(HttpRequestMessage request)
        => request.Method == HttpMethod.Get
           || request.Method == HttpMethod.Head
           || request.Method == HttpMethod.Options
           || (request.Method == HttpMethod.Post && request.Headers.Contains(IdempotencyKeyHeader))
           || request.Method == HttpMethod.Put
           || request.Method == HttpMethod.Delete;

    public static ResiliencePipeline<HttpResponseMessage> Build(HiveClientOptions options, bool retry)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.TimeProvider };
        // MaxRetries = 0 (allowed: every request tried once) must not add a retry: Polly refuses zero attempts.
        if (retry && options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
            });
        }

        // Inside the retry: one stalled attempt (a dead connection on a phone) gives way to the next.
        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Result is { } response)
        {
            var status = (int)response.StatusCode;
            return status is 408 or 429 || status >= 500 || response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }

        return outcome.Exception switch
        {
            null => false,
            OperationCanceledException when cancellationToken.IsCancellationRequested => false,
            TimeoutRejectedException or OperationCanceledException or HttpRequestException or IOException => true,
            _ => false,
        };
    }
}
