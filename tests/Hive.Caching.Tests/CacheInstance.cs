using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Hive.Caching.Tests;

/// <summary>One cache as a service process would have it: its own multiplexer and memory cache, sharing Redis.</summary>
internal sealed class CacheInstance : IAsyncDisposable
{
    private CacheInstance(ConnectionMultiplexer connection, HiveCache cache)
    {
        Connection = connection;
        Cache = cache;
    }

    public ConnectionMultiplexer Connection { get; }

    public HiveCache Cache { get; }

    public IHiveCache Api => Cache;

    public IRedisPrimitives Redis => Cache;

    public static string NewNamespace() => "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    public static async Task<CacheInstance> CreateAsync(
        string configuration,
        string @namespace,
        Action<HiveCacheOptions>? configure = null,
        IConnectionMultiplexer? coordination = null,
        ICacheFillObserver? observer = null,
        TimeProvider? time = null)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        var options = new HiveCacheOptions { Namespace = @namespace };
        configure?.Invoke(options);
        return new CacheInstance(connection, new HiveCache(connection, options, NullLoggerFactory.Instance, time, coordination, observer is null ? null : [observer]));
    }

    public async ValueTask DisposeAsync()
    {
        await Cache.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
