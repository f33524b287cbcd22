using Microsoft.Extensions.Logging;

namespace Hive.Caching;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Redis multi-get for {Count} keys in namespace {Namespace} failed; serving memory hits only")]
    public static partial void MultiGetFailed(ILogger logger, int count, string @namespace, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Rate limit check for {Key} could not reach Redis; applying {Mode}")]
    public static partial void RateLimitFallback(ILogger logger, string key, RateLimitFailureMode mode, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Lock {Key} could not be released (Redis unreachable); it will expire by its TTL")]
    public static partial void LockReleaseFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Redis operation {Operation} on {Key} failed")]
    public static partial void RedisOperationFailed(ILogger logger, string operation, string key, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Hive cache for namespace {Namespace} is ready (L1 memory, L2 Redis, backplane channel {Channel})")]
    public static partial void Started(ILogger logger, string @namespace, string channel);

    [LoggerMessage(6, LogLevel.Warning, "Could not check this process's stamp of tag {Tag} in namespace {Namespace} after its invalidation")]
    public static partial void TagStampNotSettled(ILogger logger, string tag, string @namespace, Exception exception);
}
