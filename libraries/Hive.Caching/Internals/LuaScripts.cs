namespace Hive.Caching;

/// <summary>
/// The atomic parts, run inside Redis. Time always comes from Redis <c>TIME</c> so replicas with skewed
/// clocks agree on windows and buckets.
/// </summary>
internal static class LuaScripts
{
    /// <summary>KEYS: entries; ARGV: value, px (0 = no expiry) per key.</summary>
    public const string SetMany = """
        for i = 1, #KEYS do
          local px = tonumber(ARGV[i * 2])
          if px > 0 then
            redis.call('SET', KEYS[i], ARGV[i * 2 - 1], 'PX', px)
          else
            redis.call('SET', KEYS[i], ARGV[i * 2 - 1])
          end
        end
        return #KEYS
        """;

    /// <summary>
    /// Sliding-window log taken one permit at a time or as a lease of up to ARGV[4], with a tally beside it.
    /// KEYS[1]: the window's sorted set; KEYS[2]: the tally (permits the set holds); ARGV: limit, window ms,
    /// lease id, permits wanted, lease lifetime ms. A member stands for a number of permits, written after
    /// <c>#</c>: the first permit, <c>id:0#1</c>, is used now and scored now; the lease's others,
    /// <c>id:1#n</c>, may be used up to a lifetime later, so they are scored at the lifetime's end and stay in
    /// the window at least a whole window after their use. So a lease costs Redis two members whatever its
    /// size. Members past the window leave the set and the tally; a window without a tally (a member without
    /// <c>#</c> is one permit, as windows were once written) is counted once and tallied from then on.
    /// Returns {granted, remaining, resetAtMs, nowMs}.
    /// </summary>
    public const string RateLimit = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local want = tonumber(ARGV[4])
        local lifetime = tonumber(ARGV[5])
        local function permits(member)
          return tonumber(string.match(member, '#(%d+)$')) or 1
        end
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if #expired > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        end
        local count = tonumber(redis.call('GET', KEYS[2]))
        if count then
          for _, member in ipairs(expired) do
            count = count - permits(member)
          end
        else
          count = 0
          for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
            count = count + permits(member)
          end
        end
        if count < 0 or redis.call('ZCARD', KEYS[1]) == 0 then
          count = 0
        end
        local granted = math.max(0, math.min(want, limit - count))
        if granted > 0 then
          redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':0#1')
          if granted > 1 then
            redis.call('ZADD', KEYS[1], now + lifetime, ARGV[3] .. ':1#' .. (granted - 1))
          end
          count = count + granted
        end
        if granted > 1 then
          redis.call('PEXPIRE', KEYS[1], window + lifetime)
        elseif granted > 0 and redis.call('PTTL', KEYS[1]) < window then
          redis.call('PEXPIRE', KEYS[1], window)
        end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl > 0 then
          redis.call('SET', KEYS[2], count, 'PX', ttl)
        else
          redis.call('DEL', KEYS[2])
        end
        local resetAt = now + window
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        if oldest[2] then
          resetAt = tonumber(oldest[2]) + window
        end
        return {granted, limit - count, resetAt, now}
        """;

    /// <summary>
    /// KEYS[1]: the window's sorted set; KEYS[2]: its tally; ARGV: lease id, permits used, permits granted.
    /// Gives the unused permits back: the lease's second member keeps only those used, at its score, and the
    /// tally falls by the rest. Nothing happens when that member has left the window. Returns the permits given back.
    /// </summary>
    public const string RateLimitReturn = """
        local used = tonumber(ARGV[2])
        local granted = tonumber(ARGV[3])
        local back = granted - used
        if back <= 0 or granted < 2 then
          return 0
        end
        local member = ARGV[1] .. ':1#' .. (granted - 1)
        local score = redis.call('ZSCORE', KEYS[1], member)
        if not score then
          return 0
        end
        redis.call('ZREM', KEYS[1], member)
        if used > 1 then
          redis.call('ZADD', KEYS[1], score, ARGV[1] .. ':1#' .. (used - 1))
        end
        if redis.call('EXISTS', KEYS[2]) == 1 then
          redis.call('DECRBY', KEYS[2], back)
        end
        return back
        """;

    /// <summary>KEYS: lock, fence counter; ARGV: token, ttl ms. Returns the new fencing number, or 0 when busy.</summary>
    public const string AcquireLock = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          return redis.call('INCR', KEYS[2])
        end
        return 0
        """;

    /// <summary>KEYS: lock; ARGV: token. Deletes only when the caller still holds it.</summary>
    public const string ReleaseLock = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    /// <summary>KEYS: lock; ARGV: token, ttl ms. Extends only when the caller still holds it.</summary>
    public const string ExtendLock = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """;

    /// <summary>KEYS: counter; ARGV: by, ttl ms (0 = none). The TTL is set once, when the counter has none.</summary>
    public const string Increment = """
        local v = redis.call('INCRBY', KEYS[1], ARGV[1])
        local ttl = tonumber(ARGV[2])
        if ttl > 0 and redis.call('PTTL', KEYS[1]) == -1 then
          redis.call('PEXPIRE', KEYS[1], ttl)
        end
        return v
        """;

    /// <summary>
    /// KEYS[1]: board base key; ARGV: member, score, 'add' or 'incr', most members kept. Writes the
    /// all-time set and the current hour, day and week buckets (weeks start Monday, UTC); bucket sets
    /// expire after two periods, and every set is trimmed to its best members so no flood of distinct
    /// members can grow it without bound. Returns the all-time score.
    /// </summary>
    public const string LeaderboardWrite = """
        local t = redis.call('TIME')
        local sec = tonumber(t[1])
        local day = math.floor(sec / 86400)
        local buckets = {
          {KEYS[1] .. ':all', 0},
          {KEYS[1] .. ':h:' .. math.floor(sec / 3600), 7200},
          {KEYS[1] .. ':d:' .. day, 172800},
          {KEYS[1] .. ':w:' .. math.floor((day + 3) / 7), 1209600},
        }
        local result = ARGV[2]
        for i, b in ipairs(buckets) do
          if ARGV[3] == 'incr' then
            local s = redis.call('ZINCRBY', b[1], ARGV[2], ARGV[1])
            if i == 1 then result = s end
          else
            redis.call('ZADD', b[1], ARGV[2], ARGV[1])
          end
          if b[2] > 0 then
            redis.call('EXPIRE', b[1], b[2])
          end
          local size = redis.call('ZCARD', b[1])
          local keep = tonumber(ARGV[4])
          if size > keep then
            redis.call('ZREMRANGEBYRANK', b[1], 0, size - keep - 1)
          end
        end
        return result
        """;

    /// <summary>KEYS[1]: board base key; ARGV: count, window ('all', 'h', 'd', 'w'). Returns member, score pairs.</summary>
    public const string LeaderboardTop = """
        local t = redis.call('TIME')
        local sec = tonumber(t[1])
        local day = math.floor(sec / 86400)
        local key = KEYS[1] .. ':all'
        if ARGV[2] == 'h' then
          key = KEYS[1] .. ':h:' .. math.floor(sec / 3600)
        elseif ARGV[2] == 'd' then
          key = KEYS[1] .. ':d:' .. day
        elseif ARGV[2] == 'w' then
          key = KEYS[1] .. ':w:' .. math.floor((day + 3) / 7)
        end
        return redis.call('ZREVRANGE', key, 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
        """;
}
