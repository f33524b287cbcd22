using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>
/// The Redis that holds state which must never be evicted: locks, fencing counters, write generations,
/// the version ledger, counters and leaderboards. It is its own server run with
/// <c>maxmemory-policy noeviction</c> (connection string <see cref="HiveCacheOptions.CoordinationConnectionName"/>);
/// the cache Redis evicts under memory pressure. Without that connection string (a single-Redis setup),
/// the cache's own multiplexer is used.
/// </summary>
public sealed class CoordinationRedis : IDisposable
{
    private readonly ConnectionMultiplexer? _owned;

    public CoordinationRedis(IConnectionMultiplexer cacheRedis, IConfiguration configuration, IOptions<HiveCacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(cacheRedis);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = configuration.GetConnectionString(options.Value.CoordinationConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Connection = cacheRedis;
            IsSeparate = false;
            return;
        }

        var settings = ConfigurationOptions.Parse(connectionString);

        // Start even while the server is still coming up; calls fail fast until it connects.
        settings.AbortOnConnectFail = false;
        HiveRedis.Configure(settings);
        _owned = ConnectionMultiplexer.Connect(settings);
        Connection = _owned;
        IsSeparate = true;
    }

    public IConnectionMultiplexer Connection { get; }

    /// <summary>True when coordination state has its own server, false when it shares the cache Redis.</summary>
    public bool IsSeparate { get; }

    public void Dispose() => _owned?.Dispose();
}
