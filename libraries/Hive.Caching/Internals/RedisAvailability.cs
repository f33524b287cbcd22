using StackExchange.Redis;

namespace Hive.Caching;

internal static class RedisAvailability
{
    /// <summary>
    /// Throws when the multiplexer has no live connection. StackExchange.Redis would otherwise hold the
    /// command in its backlog until the timeout, so every call during an outage would wait seconds.
    /// </summary>
    public static void EnsureConnected(IConnectionMultiplexer connection)
    {
        if (!connection.IsConnected)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected.");
        }
    }
}
