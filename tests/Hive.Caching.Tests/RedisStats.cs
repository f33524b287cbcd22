using StackExchange.Redis;

namespace Hive.Caching.Tests;

/// <summary>
/// Reads how many times the server ran a command (INFO commandstats), to count round trips without mocks.
/// INFO is an admin command, so it uses a connection of its own, opened once and without the tie-breaker
/// GET a new connection would otherwise add to the counts.
/// </summary>
internal sealed class RedisStats : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;

    private RedisStats(ConnectionMultiplexer connection) => _connection = connection;

    public static async Task<RedisStats> ConnectAsync(string configuration)
        => new(await ConnectionMultiplexer.ConnectAsync(configuration + ",allowAdmin=true,tiebreaker="));

    public async Task<long> CallsAsync(string command)
    {
        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        var info = await server.InfoAsync("commandstats");
        foreach (var group in info)
        {
            foreach (var pair in group)
            {
                if (pair.Key.Equals("cmdstat_" + command, StringComparison.OrdinalIgnoreCase))
                {
                    var calls = pair.Value.Split(',')[0].Split('=')[1];
                    return long.Parse(calls, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return 0;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
