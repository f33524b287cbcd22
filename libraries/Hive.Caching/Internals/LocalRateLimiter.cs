using System.Collections.Concurrent;

namespace Hive.Caching;

/// <summary>
/// The in-process stand-in while Redis is down: a fixed window per key, so each replica still enforces
/// the limit on its own share of the traffic instead of letting everything through.
/// </summary>
internal sealed class LocalRateLimiter(TimeProvider time)
{
    private const int PruneThreshold = 10_000;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>Keys whose window is held in memory now.</summary>
    internal int Tracked => _windows.Count;

    public RateLimitResult Check(string key, int limit, TimeSpan window)
    {
        var now = time.GetUtcNow();
        if (_windows.Count > PruneThreshold)
        {
            Prune(now);
        }

        var state = _windows.GetOrAdd(key, _ => new Window());
        lock (state)
        {
            if (now >= state.Start + window || state.Start == default)
            {
                state.Start = now;
                state.Count = 0;
                state.Length = window;
            }

            var resetAt = state.Start + window;
            if (state.Count < limit)
            {
                state.Count++;
                return new RateLimitResult(true, limit - state.Count, resetAt, TimeSpan.Zero, IsFallback: true);
            }

            return new RateLimitResult(false, 0, resetAt, resetAt - now, IsFallback: true);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, state) in _windows)
        {
            if (now >= state.Start + state.Length)
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    private sealed class Window
    {
        public DateTimeOffset Start { get; set; }

        public int Count { get; set; }

        public TimeSpan Length { get; set; }
    }
}
