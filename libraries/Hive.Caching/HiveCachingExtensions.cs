using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>Registers <see cref="IHiveCache"/> for one service namespace on the <see cref="IConnectionMultiplexer"/> already in DI.</summary>
public static class HiveCachingExtensions
{
    /// <summary>
    /// <c>builder.AddRedisClient("redis", configureOptions: HiveRedis.Configure); builder.AddHiveCaching("catalog");</c> — options come from
    /// <c>Hive:Cache</c>, then <paramref name="configure"/>; they are validated at start.
    /// </summary>
    public static IHostApplicationBuilder AddHiveCaching(this IHostApplicationBuilder builder, string @namespace, Action<HiveCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHiveCaching(@namespace, configure);

        // A service running on Hive.Caching is a member of the fleet: it says where each replica answers.
        builder.Services.TryAddSingleton<FleetRegistry>();
        builder.Services.TryAddSingleton<FleetIdentity>();
        builder.Services.AddHostedService<FleetAnnouncer>();
        return builder;
    }

    public static IServiceCollection AddHiveCaching(this IServiceCollection services, string @namespace, Action<HiveCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        CacheKeyBuilder.ValidateName(@namespace, nameof(@namespace));

        var options = services.AddOptions<HiveCacheOptions>()
            .BindConfiguration(HiveCacheOptions.SectionName)
            .Configure(o => o.Namespace = @namespace);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CoordinationRedis>();

        // Read path and consumers alike compare product versions against it, so it lives with the cache.
        services.TryAddSingleton<ProductVersionLedger>();
        services.TryAddSingleton<IHiveCache>(sp => new HiveCache(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<IOptions<HiveCacheOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CoordinationRedis>().Connection,
            sp.GetServices<ICacheFillObserver>()));
        services.TryAddSingleton<IRedisPrimitives>(sp => (IRedisPrimitives)sp.GetRequiredService<IHiveCache>());
        services.AddHealthChecks().AddCheck<HiveCacheHealthCheck>("hive-cache", tags: ["ready"]);

        // A request that cannot be served without Redis answers 503 + Retry-After (where the host uses UseExceptionHandler).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Diagnostics.IExceptionHandler, CacheUnavailableExceptionHandler>());

        // Build the cache while the host starts, not inside the first request or message: construction
        // waits for the backplane subscription, and doing that on a busy thread pool (2 cores) stalled the
        // first consumer for tens of seconds.
        services.AddHostedService<HiveCacheWarmup>();
        return services;
    }
}
