using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Hive.Caching;

/// <summary>
/// <see cref="IHiveCache"/> on FusionCache (memory L1, Redis L2, Redis backplane) and StackExchange.Redis
/// Lua scripts for the atomic helpers. One instance per service namespace.
/// </summary>
internal sealed partial class HiveCache : IHiveCache, IRedisPrimitives, IAsyncDisposable, IDisposable
{
    // Size of an entry read from Redis before any fill of its entity was seen, and of FusionCache's tag markers.
    private const long DefaultEntrySize = 1024;
    private const long TagEntrySize = 128;
    private static readonly TimeSpan TagStampFirstLook = TimeSpan.FromMilliseconds(50);

    private readonly IConnectionMultiplexer _connection;
    private readonly IConnectionMultiplexer _coordination;
    private readonly WriteGenerations _generations;
    private readonly ICacheFillObserver[] _observers;
    private readonly ConcurrentDictionary<string, long> _entitySizes = new(StringComparer.Ordinal);

    // Read options per entity, made again only when the entity's size estimate moves: a hit allocates none.
    private readonly ConcurrentDictionary<string, FusionCacheEntryOptions> _readOptions = new(StringComparer.Ordinal);
    private readonly HiveCacheOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MemoryCache _memory;
    private readonly FusionCache _fusion;
    private readonly IFusionCacheSerializer _serializer = new FusionCacheSystemTextJsonSerializer();
    private readonly CacheStatistics _statistics;
    private readonly LocalRateLimiter _localLimiter;
    private readonly RateLimitLeases _leases;
    private readonly Func<CacheKey, RedisKey> _windowKey;
    private readonly FusionCacheEntryOptions _memoryOnly;
    private readonly FusionCacheEntryOptions _tagStampMemoryOnly;
    private readonly string _tagStampPrefix;
    private readonly TimeSpan[] _tagStampLooks;
    private readonly CancellationTokenSource _closing = new();
    private readonly InvalidationRounds _invalidationRounds = new();
    private int _disposed;
    private readonly string _fusionPrefix;
    private readonly RedisKey[] _clearMarkerKeys;

    /// <param name="coordination">Redis for locks, fences, generations, counters and boards; the cache's own when null.</param>
    /// <param name="observers">Called between a factory's answer and its cache write; see <see cref="ICacheFillObserver"/>.</param>
    public HiveCache(
        IConnectionMultiplexer connection,
        HiveCacheOptions options,
        ILoggerFactory loggerFactory,
        TimeProvider? time = null,
        IConnectionMultiplexer? coordination = null,
        IEnumerable<ICacheFillObserver>? observers = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        CacheKeyBuilder.ValidateName(options.Namespace, nameof(options));

        _connection = connection;
        _coordination = coordination ?? connection;
        _observers = observers?.ToArray() ?? [];
        _options = options;
        _logger = loggerFactory.CreateLogger<HiveCache>();
        _time = time ?? TimeProvider.System;
        Namespace = options.Namespace;
        Keys = new CacheKeyBuilder(Namespace);
        _statistics = new CacheStatistics(Namespace);
        _localLimiter = new LocalRateLimiter(_time);
        _leases = new RateLimitLeases(options, _time, GiveBack);
        _windowKey = key => HelperKey("rl", key);
        _fusionPrefix = Namespace + ":";
        _generations = new WriteGenerations(_coordination, Namespace, options, _statistics);

        var fusionOptions = new FusionCacheOptions
        {
            CacheName = "hive-" + Namespace,
            CacheKeyPrefix = _fusionPrefix,

            // Plain keys, so GetMany can MGET exactly what FusionCache wrote and every key stays under the namespace.
            DistributedCacheKeyModifierMode = CacheKeyModifierMode.None,
            DistributedCacheCircuitBreakerDuration = options.CircuitBreakerDuration,
            BackplaneCircuitBreakerDuration = options.CircuitBreakerDuration,
            WaitForInitialBackplaneSubscribe = true,
            ReThrowOriginalExceptions = true,

            // An invalidated entry is gone: the default (expire) would let fail-safe serve it again when the
            // next load fails, which is exactly the stale answer the invalidation was for.
            RemoveByTagBehavior = RemoveByTagBehavior.Remove,

            // Handlers only bump counters; running them inline keeps statistics exact when a call returns.
            EnableSyncEventHandlersExecution = true,
            DefaultEntryOptions = new FusionCacheEntryOptions
            {
                Duration = CacheLifetime.ToTimeSpan(options.DefaultDuration),
                IsFailSafeEnabled = true,
                FailSafeMaxDuration = options.FailSafeMaxDuration,
                FailSafeThrottleDuration = options.FailSafeThrottleDuration,
                DistributedCacheSoftTimeout = options.DistributedSoftTimeout,
                DistributedCacheHardTimeout = options.DistributedHardTimeout,

                // Coherence: a write returns only after Redis has the value and replicas were told.
                AllowBackgroundDistributedCacheOperations = false,
                AllowBackgroundBackplaneOperations = false,
                // An entry another version wrote in an older shape (a rolling deployment, a changed model) is a
                // miss that the fill overwrites, never an error for the user until it expires.
                ReThrowSerializationExceptions = false,

                // Every L1 entry must be sized once the memory cache has a limit; fills set the real size.
                Size = DefaultEntrySize,
            },
        };
        fusionOptions.TagsDefaultEntryOptions.Size = TagEntrySize;

        // A tag's stamp is read on the first hit of an entry carrying it; bounded like every other Redis read.
        fusionOptions.TagsDefaultEntryOptions.DistributedCacheHardTimeout = options.DistributedHardTimeout;
        _tagStampPrefix = fusionOptions.InternalStrings.TagCacheKeyPrefix;
        _tagStampLooks = [TagStampFirstLook, options.DistributedHardTimeout + TimeSpan.FromMilliseconds(250)];
        _tagStampMemoryOnly = fusionOptions.TagsDefaultEntryOptions.Duplicate().SetSkipDistributedCache(true, true);
        _tagStampMemoryOnly.SkipBackplaneNotifications = true;

        var strings = fusionOptions.InternalStrings;
        _clearMarkerKeys =
        [
            _fusionPrefix + strings.TagCacheKeyPrefix + strings.ClearRemoveTag,
            _fusionPrefix + strings.TagCacheKeyPrefix + strings.ClearExpireTag,
        ];

        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.MemorySizeLimit, TrackStatistics = true });
        _fusion = new FusionCache(fusionOptions, _memory, loggerFactory.CreateLogger<FusionCache>());
        _fusion.SetupDistributedCache(new RedisDistributedCache(connection, _statistics), _serializer);
        _fusion.SetupBackplane(new RedisBackplane(
            Options.Create(new RedisBackplaneOptions
            {
                ConnectionMultiplexerFactory = () => Task.FromResult(NonDisposingConnection.Wrap(connection)),
            }),
            loggerFactory.CreateLogger<RedisBackplane>()));

        _memoryOnly = _fusion.DefaultEntryOptions.Duplicate().SetSkipDistributedCache(true, true);
        SubscribeToEvents();
        Log.Started(_logger, Namespace, fusionOptions.CacheName);
    }

    public string Namespace { get; }

    public CacheKeyBuilder Keys { get; }

    /// <summary>The coordination Redis: what lives here must never be evicted by cache memory pressure.</summary>
    private IDatabase Database
    {
        get
        {
            RedisAvailability.EnsureConnected(_coordination);
            return _coordination.GetDatabase();
        }
    }

    private IConnectionMultiplexer CacheConnection
    {
        get
        {
            RedisAvailability.EnsureConnected(_connection);
            return _connection;
        }
    }

    private IDatabase CacheDatabase
    {
        get
        {
            RedisAvailability.EnsureConnected(_connection);
            return _connection.GetDatabase();
        }
    }

    public CacheStatisticsSnapshot GetStatistics()
    {
        var memory = _memory.GetCurrentStatistics();
        return _statistics.Snapshot(memory?.CurrentEntryCount ?? 0, memory?.CurrentEstimatedSize ?? 0, _options.MemorySizeLimit);
    }

    public void Dispose()
    {
        // The container disposes it once per interface it is registered under (IHiveCache, IRedisPrimitives).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _closing.Cancel();
        _closing.Dispose();
        _leases.Dispose();
        _statistics.Close();
        _fusion.Dispose();
        _memory.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal static bool IsRedisFailure(Exception exception)
        => exception is RedisException or TimeoutException or ObjectDisposedException;

    internal static long Milliseconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalMilliseconds));

    internal static void EnsurePositive(TimeSpan value, string parameter)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"{parameter} must be a positive duration, got {value}.");
        }
    }

    private void EnsureKey(CacheKey key, string parameter)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("The cache key is empty; build keys with IHiveCache.Keys.For(entity, id).", parameter);
        }

        if (!string.Equals(key.Namespace, Namespace, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Key '{key}' belongs to namespace '{key.Namespace}', not to this cache's '{Namespace}'.", parameter);
        }
    }

    private string[]? TagValues(IReadOnlyCollection<CacheTag>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return null;
        }

        var values = new string[tags.Count];
        var i = 0;
        foreach (var tag in tags)
        {
            EnsureTag(tag, nameof(tags));
            values[i++] = tag.Value;
        }

        return values;
    }

    private void EnsureTags(IReadOnlyCollection<CacheTag>? tags)
    {
        if (tags is null)
        {
            return;
        }

        foreach (var tag in tags)
        {
            EnsureTag(tag, nameof(tags));
        }
    }

    private void EnsureTag(CacheTag tag, string parameter)
    {
        if (tag.IsEmpty)
        {
            throw new ArgumentException("The cache tag is empty; build tags with IHiveCache.Keys.Tag(entity, id).", parameter);
        }

        if (!string.Equals(tag.Namespace, Namespace, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Tag '{tag}' belongs to namespace '{tag.Namespace}', not to this cache's '{Namespace}'.", parameter);
        }
    }

    // The entity part is a Redis Cluster hash tag: a lock and its fencing counter, or a board and the
    // window buckets its script derives from it, hash to one slot, so the scripts that touch several of
    // them run on a cluster too. Ids are percent-encoded, so user input can never open a brace of its own.
    private RedisKey HelperKey(string kind, CacheKey key) => $"{Namespace}:~{kind}:{{{key.Local}}}";

    private void SubscribeToEvents()
    {
        // FusionCache's own tag bookkeeping entries are not reads a service made. L1 hits are counted where
        // they happen (every read looks at memory alone first): a handler on FusionCache's memory-hit event
        // cost about 90 ns on each of them.
        static bool IsInternal(string key) => key.Contains("__fc:", StringComparison.Ordinal);

        _fusion.Events.Distributed.Hit += (_, e) =>
        {
            if (!IsInternal(e.Key))
            {
                _statistics.L2Hit();
            }
        };
        _fusion.Events.FactoryError += (_, _) => _statistics.Error("factory");
        _fusion.Events.Distributed.SerializationError += (_, _) => _statistics.Error("serialize");
        _fusion.Events.Distributed.DeserializationError += (_, _) => _statistics.Error("deserialize");
        _fusion.Events.Memory.Eviction += (_, e) =>
        {
            if (e.Reason == EvictionReason.Capacity)
            {
                _statistics.Eviction();
            }
        };
        _fusion.Events.Distributed.CircuitBreakerChange += (_, e) => _statistics.DistributedAvailable = e.IsClosed;
    }
}
