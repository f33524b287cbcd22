namespace Hive.Mobile.Caching;

/// <summary>
/// The first cache level: answers kept in memory within a byte budget, least recently used out first.
/// Written here because Microsoft.Extensions.Caching.Memory does not evict by recency when its size limit
/// is reached (it refuses the new entry and compacts later), which is the opposite of what a list screen wants.
/// </summary>
internal sealed class MemoryLru(long budgetBytes)
{
    private readonly Dictionary<string, LinkedListNode<CachedResponse>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedResponse> _order = new();
    private readonly Lock _gate = new();
    private long _bytes;

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    public CachedResponse? Get(string key)
    {
        lock (_gate)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value;
        }
    }

    public void Set(CachedResponse entry)
    {
        // One answer larger than the whole budget would only evict everything else.
        if (entry.Body.Length > budgetBytes)
        {
            Remove(entry.Key);
            return;
        }

        lock (_gate)
        {
            if (_map.Remove(entry.Key, out var old))
            {
                _order.Remove(old);
                _bytes -= old.Value.Body.Length;
            }

            _map[entry.Key] = _order.AddFirst(entry);
            _bytes += entry.Body.Length;
            while (_bytes > budgetBytes && _order.Last is { } last)
            {
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
                _bytes -= last.Value.Body.Length;
            }
        }
    }

    public void Remove(string key)
    {
        lock (_gate)
        {
            if (_map.Remove(key, out var node))
            {
                _order.Remove(node);
                _bytes -= node.Value.Body.Length;
            }
        }
    }

    public void RemoveScope(string scope)
    {
        lock (_gate)
        {
            foreach (var node in _map.Values.Where(n => n.Value.Scope == scope).ToList())
            {
                _map.Remove(node.Value.Key);
                _order.Remove(node);
                _bytes -= node.Value.Body.Length;
            }
        }
    }
}
