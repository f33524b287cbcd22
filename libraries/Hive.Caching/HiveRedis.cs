using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>
/// How every Hive process connects to Redis, applied to each multiplexer it makes
/// (<c>builder.AddRedisClient("redis", configureOptions: HiveRedis.Configure)</c> and the coordination one).
/// </summary>
public static class HiveRedis
{
    /// <summary>
    /// Redis I/O on the .NET thread pool instead of StackExchange.Redis's own dedicated socket threads.
    /// Those threads spin (sched_yield) while they wait for work: a CPU profile of the gateway under load
    /// had them in about 70 % of its samples, on a machine where the services share two cores with each
    /// other, Postgres and RabbitMQ. The thread pool is what ASP.NET Core already serves requests on.
    /// </summary>
    public static void Configure(ConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SocketManager = SocketManager.ThreadPool;
    }
}
