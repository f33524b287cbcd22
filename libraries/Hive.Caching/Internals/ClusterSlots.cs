using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>
/// Runs a script over keys that may live in different Redis Cluster slots: one call per slot on a
/// cluster (a script's keys must share a slot there), one call for all of them on a single server, where
/// splitting would only add round trips.
/// </summary>
internal static class ClusterSlots
{
    public static async Task EvaluatePerSlotAsync(IConnectionMultiplexer connection, string script, RedisKey[] keys, RedisValue[] arguments, int argumentsPerKey)
    {
        var database = connection.GetDatabase();
        if (!IsCluster(connection))
        {
            await database.ScriptEvaluateAsync(script, keys, arguments).ConfigureAwait(false);
            return;
        }

        var calls = keys
            .Select((key, index) => (key, index))
            .GroupBy(k => connection.HashSlot(k.key))
            .Select(slot => database.ScriptEvaluateAsync(
                script,
                [.. slot.Select(k => k.key)],
                [.. slot.SelectMany(k => arguments.Skip(k.index * argumentsPerKey).Take(argumentsPerKey))]));
        await Task.WhenAll(calls).ConfigureAwait(false);
    }

    /// <summary>MGET across slots: one MGET per slot on a cluster, the values back in the keys' order.</summary>
    public static async Task<RedisValue[]> GetPerSlotAsync(IConnectionMultiplexer connection, RedisKey[] keys)
    {
        var database = connection.GetDatabase();
        if (!IsCluster(connection))
        {
            return await database.StringGetAsync(keys).ConfigureAwait(false);
        }

        var values = new RedisValue[keys.Length];
        var calls = keys
            .Select((key, index) => (key, index))
            .GroupBy(k => connection.HashSlot(k.key))
            .Select(async slot =>
            {
                var members = slot.ToArray();
                var found = await database.StringGetAsync([.. members.Select(m => m.key)]).ConfigureAwait(false);
                for (var i = 0; i < members.Length; i++)
                {
                    values[members[i].index] = found[i];
                }
            });
        await Task.WhenAll(calls).ConfigureAwait(false);
        return values;
    }

    public static bool IsCluster(IConnectionMultiplexer connection) =>
        connection.GetServers().Any(s => s.ServerType == ServerType.Cluster);
}
