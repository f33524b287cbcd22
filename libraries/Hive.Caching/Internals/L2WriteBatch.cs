using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>
/// Collects the Redis writes FusionCache makes for the entries of one SetMany call and sends them as a
/// single script call once every entry has either queued its write or finished without one (circuit
/// open, L2 skipped). FusionCache awaits each write before publishing to the backplane, so replicas are
/// only told after the data is in Redis.
/// </summary>
internal sealed class L2WriteBatch
{

    private readonly IConnectionMultiplexer _connection;
    private readonly List<(RedisKey Key, byte[] Value, long Milliseconds)> _writes = [];
    private readonly TaskCompletionSource _flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private int _pending;
    private bool _started;

    public L2WriteBatch(IConnectionMultiplexer connection, int entries)
    {
        _connection = connection;
        _pending = entries;
    }



    /// <summary>Queues a write; the task ends when the whole batch is in Redis. Null when the batch already went out.</summary>
    public Task? Enqueue(string key, byte[] value, TimeSpan? expiry)
    {
        lock (_lock)
        {
            if (_started)
            {
                return null;
            }

            _writes.Add((key, value, expiry is { } e ? Math.Max(1, (long)e.TotalMilliseconds) : 0));
            _pending--;
            FlushIfReady();
        }

        return _flushed.Task;
    }

    /// <summary>Called by each entry when FusionCache finished; entries that never wrote stop being waited for.</summary>
    public void EntryFinished(bool wrote)
    {
        if (wrote)
        {
            return;
        }

        lock (_lock)
        {
            _pending--;
            FlushIfReady();
        }
    }

    private void FlushIfReady()
    {
        if (_pending > 0 || _started)
        {
            return;
        }

        _started = true;
        if (_writes.Count == 0)
        {
            _flushed.TrySetResult();
            return;
        }

        _ = FlushAsync();
    }

    private async Task FlushAsync()
    {
        try
        {
            RedisAvailability.EnsureConnected(_connection);
            var keys = new RedisKey[_writes.Count];
            var args = new RedisValue[_writes.Count * 2];
            for (var i = 0; i < _writes.Count; i++)
            {
                keys[i] = _writes[i].Key;
                args[i * 2] = _writes[i].Value;
                args[(i * 2) + 1] = _writes[i].Milliseconds;
            }

            await ClusterSlots.EvaluatePerSlotAsync(_connection, LuaScripts.SetMany, keys, args, argumentsPerKey: 2).ConfigureAwait(false);
            _flushed.TrySetResult();
        }
        catch (Exception ex)
        {
            _flushed.TrySetException(ex);
        }
    }
}
