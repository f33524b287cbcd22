using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace Hive.Caching;

internal sealed partial class HiveCache
{
    public async ValueTask<RateLimitResult> CheckRateLimitAsync(CacheKey key, int limit, TimeSpan window, CancellationToken cancellationToken = default)
    {
        EnsureKey(key, nameof(key));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (window < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"The window must be at least 1 ms, got {window}.");
        }

        if (!_leases.Applies(limit))
        {
            return (await TakePermitsAsync(key, limit, window, 1, cancellationToken).ConfigureAwait(false)).Decided;
        }

        while (true)
        {
            var lease = _leases.For(key, limit, window, _windowKey);
            Task<RateLimitResult?>? pending = null;
            var want = 0;
            RateLimitLeases.Lease.Unused? unused = null;
            lock (lease.Gate)
            {
                if (lease.Removed)
                {
                    continue;
                }

                var now = _time.GetTimestamp();
                if (lease.TryTake(now, out var leased))
                {
                    return leased;
                }

                if (lease.Refill is { } refill)
                {
                    pending = refill.Task;
                }
                else
                {
                    want = lease.StartRefill(now, _options.RateLimitLeaseMax, out unused);
                }
            }

            if (pending is not null)
            {
                // Another call is asking Redis for this key: its refusal is this call's too; a grant leaves permits to take.
                if (await pending.WaitAsync(cancellationToken).ConfigureAwait(false) is { Allowed: false, IsFallback: false } refused)
                {
                    return refused;
                }

                continue;
            }

            if (unused is { } back)
            {
                GiveBack(back);
            }

            return await RefillAsync(lease, key, limit, window, want, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks Redis for the next lease of a key; whatever happens, the calls waiting on it are released.</summary>
    private async Task<RateLimitResult> RefillAsync(RateLimitLeases.Lease lease, CacheKey key, int limit, TimeSpan window, int want, CancellationToken cancellationToken)
    {
        RateLimitResult? decided = null;
        try
        {
            var taken = await TakePermitsAsync(key, limit, window, want, cancellationToken).ConfigureAwait(false);
            var expiresAt = _time.GetTimestamp() + (long)(_options.RateLimitLeaseLifetime.TotalSeconds * _time.TimestampFrequency);
            lock (lease.Gate)
            {
                lease.Install(taken.Id, taken.Granted, taken.Decided, expiresAt);
            }

            decided = taken.Decided;
            return decided;
        }
        finally
        {
            TaskCompletionSource<RateLimitResult?>? refill;
            lock (lease.Gate)
            {
                refill = lease.EndRefill();
            }

            // No decision (cancelled, or an error other than Redis's): each waiting call asks again itself.
            refill?.TrySetResult(decided);
        }
    }

    /// <summary>
    /// Takes up to <paramref name="want"/> permits from the key's window in Redis in one call (the first is the
    /// caller's); while Redis is down, decides by <see cref="HiveCacheOptions.RateLimitFailureMode"/> instead.
    /// </summary>
    private async Task<(RateLimitResult Decided, string Id, int Granted)> TakePermitsAsync(CacheKey key, int limit, TimeSpan window, int want, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var id = Guid.NewGuid().ToString("N");
        try
        {
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(
                LuaScripts.RateLimit,
                WindowKeys(_windowKey(key)),
                [limit, Milliseconds(window), id, want, Milliseconds(_options.RateLimitLeaseLifetime)]).WaitAsync(_options.DistributedHardTimeout, cancellationToken).ConfigureAwait(false))!;

            var granted = (int)result[0];
            var resetAt = DateTimeOffset.FromUnixTimeMilliseconds((long)result[2]);
            var now = DateTimeOffset.FromUnixTimeMilliseconds((long)result[3]);
            var decided = new RateLimitResult(
                granted > 0,
                (int)Math.Max(0, (long)result[1]) + Math.Max(0, granted - 1),
                resetAt,
                granted > 0 ? TimeSpan.Zero : resetAt - now);
            return (decided, id, granted);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            _statistics.Error("rate_limit");
            Log.RateLimitFallback(_logger, key.Value, _options.RateLimitFailureMode, ex);
            var now = _time.GetUtcNow();
            var decided = _options.RateLimitFailureMode switch
            {
                RateLimitFailureMode.FailOpen => new RateLimitResult(true, limit - 1, now + window, TimeSpan.Zero, IsFallback: true),
                RateLimitFailureMode.FailClosed => new RateLimitResult(false, 0, now + window, window, IsFallback: true),
                _ => _localLimiter.Check(key.Value, limit, window),
            };
            return (decided, id, 0);
        }
        finally
        {
            _statistics.Elapsed("rate_limit", start);
        }
    }

    /// <summary>A rate-limit window's sorted set and its tally (same hash slot: the tally's name extends the set's).</summary>
    private static RedisKey[] WindowKeys(RedisKey window) => [window, window.Append(":n")];

    /// <summary>Gives an expired lease's unused permits back to the window, without waiting; lost if Redis is down (they leave with the window).</summary>
    private void GiveBack(RateLimitLeases.Lease.Unused unused)
    {
        try
        {
            Database.ScriptEvaluate(LuaScripts.RateLimitReturn, WindowKeys(unused.Key), [unused.Id, unused.From, unused.Granted], CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            _statistics.Error("rate_limit");
        }
    }

    public async ValueTask<ICacheLock?> AcquireLockAsync(CacheKey key, TimeSpan ttl, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        EnsureKey(key, nameof(key));
        EnsurePositive(ttl, nameof(ttl));
        if (wait < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(wait), wait, "The wait must not be negative.");
        }

        var lockKey = HelperKey("lock", key);
        var fenceKey = HelperKey("fence", key);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var deadline = _time.GetTimestamp() + (long)((wait ?? TimeSpan.Zero).TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            long fence;
            try
            {
                fence = (long)await Database.ScriptEvaluateAsync(LuaScripts.AcquireLock, [lockKey, fenceKey], [token, Milliseconds(ttl)])
                    .WaitAsync(_options.DistributedHardTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                _statistics.Error("lock");
                throw new LockUnavailableException($"Could not reach Redis to acquire lock '{key}'.", ex);
            }

            if (fence > 0)
            {
                return new RedisCacheLock(_coordination.GetDatabase(), key, lockKey, token, fence, _options.DistributedHardTimeout, _logger);
            }

            var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(left < _options.LockRetryDelay ? left : _options.LockRetryDelay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<long> IncrementAsync(CacheKey key, long by = 1, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        EnsureKey(key, nameof(key));
        if (ttl is { } t)
        {
            EnsurePositive(t, nameof(ttl));
        }

        var result = await RunAsync("increment", key, LuaScripts.Increment, [HelperKey("ctr", key)], [by, ttl is { } span ? Milliseconds(span) : 0], cancellationToken).ConfigureAwait(false);
        return (long)result;
    }

    public async ValueTask LeaderboardAddAsync(CacheKey board, string member, double score, CancellationToken cancellationToken = default)
    {
        EnsureKey(board, nameof(board));
        ArgumentException.ThrowIfNullOrEmpty(member);
        EnsureFinite(score, nameof(score));
        await RunAsync("leaderboard_add", board, LuaScripts.LeaderboardWrite, [HelperKey("lb", board)], [member, score, "add", _options.LeaderboardMaxMembers], cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<double> LeaderboardIncrementAsync(CacheKey board, string member, double by = 1, CancellationToken cancellationToken = default)
    {
        EnsureKey(board, nameof(board));
        ArgumentException.ThrowIfNullOrEmpty(member);
        EnsureFinite(by, nameof(by));
        var result = await RunAsync("leaderboard_increment", board, LuaScripts.LeaderboardWrite, [HelperKey("lb", board)], [member, by, "incr", _options.LeaderboardMaxMembers], cancellationToken).ConfigureAwait(false);
        return double.Parse((string)result!, CultureInfo.InvariantCulture);
    }

    public async ValueTask<IReadOnlyList<LeaderboardEntry>> LeaderboardTopAsync(CacheKey board, int count, LeaderboardWindow window = LeaderboardWindow.AllTime, CancellationToken cancellationToken = default)
    {
        EnsureKey(board, nameof(board));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var bucket = window switch
        {
            LeaderboardWindow.AllTime => "all",
            LeaderboardWindow.Hour => "h",
            LeaderboardWindow.Day => "d",
            LeaderboardWindow.Week => "w",
            _ => throw new ArgumentOutOfRangeException(nameof(window), window, "Unknown leaderboard window."),
        };

        var result = (RedisResult[])(await RunAsync("leaderboard_top", board, LuaScripts.LeaderboardTop, [HelperKey("lb", board)], [count, bucket], cancellationToken).ConfigureAwait(false))!;
        var entries = new List<LeaderboardEntry>(result.Length / 2);
        for (var i = 0; i + 1 < result.Length; i += 2)
        {
            entries.Add(new LeaderboardEntry((string)result[i]!, double.Parse((string)result[i + 1]!, CultureInfo.InvariantCulture), (i / 2) + 1));
        }

        return entries;
    }

    private static void EnsureFinite(double value, string parameter)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"{parameter} must be a finite number.");
        }
    }

    private async Task<RedisResult> RunAsync(string operation, CacheKey key, string script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await Database.ScriptEvaluateAsync(script, keys, values).WaitAsync(_options.DistributedHardTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            _statistics.Error(operation);
            Log.RedisOperationFailed(_logger, operation, key.Value, ex);
            throw new CacheUnavailableException($"Could not reach Redis for {operation} on '{key}'.", ex);
        }
        finally
        {
            _statistics.Elapsed(operation, start);
        }
    }
}
