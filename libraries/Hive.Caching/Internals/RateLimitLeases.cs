using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>
/// Rate-limit permits this process takes from a key's window in Redis ahead of use, so a client sending many
/// requests a second through one replica costs one Redis call per lease rather than one per request. What
/// keeps the shared budget honest:
/// <list type="bullet">
/// <item>No permit is used that Redis did not grant, so the replicas together never admit more than the limit;
/// a leased permit stays in the window a whole window after its use (see <see cref="LuaScripts.RateLimit"/>).</item>
/// <item>A lease holds at most a 64th of the limit, a 16th of what was left at the last grant and
/// <see cref="HiveCacheOptions.RateLimitLeaseMax"/>: a limit under 128 is never leased, so small budgets stay exact.</item>
/// <item>A key's first lease is one permit; the next doubles when a lease is used up within its lifetime and
/// halves when one expires, and an expired lease's unused permits are given back to Redis.</item>
/// </list>
/// So leasing can only make a budget stricter, by one lease per replica at most, for one lifetime at most.
/// </summary>
internal sealed class RateLimitLeases(HiveCacheOptions options, TimeProvider time, Action<RateLimitLeases.Lease.Unused> giveBack) : IDisposable
{
    /// <summary>A key whose limit is under this many times two is never leased.</summary>
    internal const int LimitShare = 64;

    /// <summary>A lease is at most this share of what Redis said was left.</summary>
    internal const int RemainingShare = 16;

    private readonly ConcurrentDictionary<(string Key, int Limit, long WindowMs), Lease> _leases = new();
    private readonly Lock _timerGate = new();
    private ITimer? _sweeper;
    private bool _disposed;

    /// <summary>Keys with lease state in memory now.</summary>
    internal int Tracked => _leases.Count;

    /// <summary>Whether calls against this limit may be leased at all.</summary>
    public bool Applies(int limit) => options.RateLimitLeaseMax > 1 && limit / LimitShare >= 2;

    /// <summary>The key's lease state (by the key within the namespace, so a hit allocates nothing); made on first use.</summary>
    public Lease For(CacheKey key, int limit, TimeSpan window, Func<CacheKey, RedisKey> redisKey)
    {
        var id = (key.Local, limit, HiveCache.Milliseconds(window));
        if (_leases.TryGetValue(id, out var lease))
        {
            return lease;
        }

        EnsureSweeping();
        return _leases.GetOrAdd(id, static (id, made) => new Lease(made.RedisKey(made.Key), id.Limit, made.Now), (Key: key, RedisKey: redisKey, Now: time.GetTimestamp()));
    }

    /// <summary>Gives back what expired leases left unused and forgets keys not used for a while.</summary>
    internal void Sweep()
    {
        var now = time.GetTimestamp();
        var idle = (long)(Math.Max(1, options.RateLimitLeaseLifetime.TotalSeconds * 20) * time.TimestampFrequency);
        foreach (var (id, lease) in _leases)
        {
            Lease.Unused? unused;
            lock (lease.Gate)
            {
                unused = lease.TakeExpired(now);
                if (lease.Refill is null && now - lease.LastUsed > idle)
                {
                    lease.Removed = true;
                    _leases.TryRemove(id, out _);
                }
            }

            if (unused is { } back)
            {
                giveBack(back);
            }
        }
    }

    public void Dispose()
    {
        lock (_timerGate)
        {
            _disposed = true;
            _sweeper?.Dispose();
            _sweeper = null;
        }
    }

    private void EnsureSweeping()
    {
        if (Volatile.Read(ref _sweeper) is not null)
        {
            return;
        }

        lock (_timerGate)
        {
            if (_sweeper is null && !_disposed)
            {
                var period = options.RateLimitLeaseLifetime;
                _sweeper = time.CreateTimer(static state => ((RateLimitLeases)state!).Sweep(), this, period, period);
            }
        }
    }

    /// <summary>One key's lease. Every field is read and written under <see cref="Gate"/>.</summary>
    internal sealed class Lease(RedisKey redisKey, int limit, long created = 0)
    {
        public readonly Lock Gate = new();

        public RedisKey RedisKey { get; } = redisKey;

        /// <summary>Set while one call asks Redis for the next lease; the others wait for its decision (null: ask again).</summary>
        public TaskCompletionSource<RateLimitResult?>? Refill { get; set; }

        /// <summary>Taken out of the table by the sweeper: callers holding it look the key up again.</summary>
        public bool Removed { get; set; }

        /// <summary>When a call last looked at this key (made counts), by <see cref="TimeProvider.GetTimestamp"/>.</summary>
        public long LastUsed { get; private set; } = created;

        private string? _id;
        private int _granted;
        private int _used;
        private long _expiresAt;
        private readonly int _limit = limit;
        private int _remaining = limit;
        private DateTimeOffset _resetAt;
        private int _size = 1;
        private bool _wasted;

        /// <summary>Takes a permit of the current lease when one is left and the lease has not expired.</summary>
        public bool TryTake(long now, out RateLimitResult result)
        {
            LastUsed = now;
            if (_id is null || _used >= _granted || now >= _expiresAt)
            {
                result = null!;
                return false;
            }

            _used++;
            result = new RateLimitResult(true, _remaining + _granted - _used, _resetAt, TimeSpan.Zero);
            return true;
        }

        /// <summary>
        /// Starts a refill: how many permits to ask for, and the expired lease's unused permits to give back.
        /// A lease used up while it was still valid doubles the next; one that expired with permits left halves
        /// it; never over the shares of the limit and of what was left.
        /// </summary>
        public int StartRefill(long now, int max, out Unused? unused)
        {
            unused = TakeExpired(now);
            if (_id is not null && _wasted)
            {
                _size /= 2;
            }
            else if (_id is not null && now < _expiresAt)
            {
                _size *= 2;
            }

            var cap = Math.Min(max, Math.Min(_limit / LimitShare, _remaining / RemainingShare));
            _size = Math.Clamp(_size, 1, Math.Max(1, cap));
            Refill = new TaskCompletionSource<RateLimitResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _size;
        }

        /// <summary>Installs what Redis granted (the first permit is the caller's own); a fallback decision changes nothing.</summary>
        public void Install(string id, int granted, RateLimitResult decided, long expiresAt)
        {
            if (granted > 0 && !decided.IsFallback)
            {
                _id = id;
                _granted = granted;
                _used = 1;
                _expiresAt = expiresAt;
                _remaining = decided.Remaining - (granted - 1);
                _resetAt = decided.ResetAt;
                _wasted = false;
            }
            else if (!decided.IsFallback)
            {
                _remaining = 0;
            }
        }

        /// <summary>Ends the refill; the caller completes what it returns, outside the gate.</summary>
        public TaskCompletionSource<RateLimitResult?>? EndRefill()
        {
            var refill = Refill;
            Refill = null;
            return refill;
        }

        /// <summary>The unused permits of a lease past its lifetime, forgotten here; null when there are none.</summary>
        public Unused? TakeExpired(long now)
        {
            if (_id is null || _used >= _granted || now < _expiresAt)
            {
                return null;
            }

            var unused = new Unused(RedisKey, _id, _used, _granted);
            _granted = _used;
            _wasted = true;
            return unused;
        }

        /// <summary>A lease's permits <c>From</c> to <c>Granted - 1</c> (its first, number 0, is used when granted), never used.</summary>
        public readonly record struct Unused(RedisKey Key, string Id, int From, int Granted);
    }
}
