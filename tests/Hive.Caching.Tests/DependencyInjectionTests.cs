using Hive.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hive.Caching.Tests;

[Collection(RedisCollection.Name)]
public sealed class DependencyInjectionTests(RedisFixture redis)
{
    [Fact]
    public async Task AddHiveCachingUsesTheMultiplexerFromDiAndBindsOptions()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hive:Cache:DefaultDuration"] = "Short",
            ["Hive:Cache:RateLimitFailureMode"] = "FailClosed",
        });
        builder.Services.AddSingleton<IConnectionMultiplexer>(connection);
        builder.AddHiveCaching("catalog-di");

        using (var host = builder.Build())
        {
            await host.StartAsync();
            var cache = host.Services.GetRequiredService<IHiveCache>();
            var options = host.Services.GetRequiredService<IOptions<HiveCacheOptions>>().Value;

            Assert.Equal("catalog-di", cache.Namespace);
            Assert.Same(cache, host.Services.GetRequiredService<IRedisPrimitives>());
            Assert.Equal(CacheDuration.Short, options.DefaultDuration);
            Assert.Equal(RateLimitFailureMode.FailClosed, options.RateLimitFailureMode);
            await cache.SetAsync(cache.Keys.For("product", 1), "v");
            Assert.True(await connection.GetDatabase().KeyExistsAsync("catalog-di:product:1"));
            await host.StopAsync();
        }

        // Disposing the cache must not dispose the service's shared multiplexer.
        Assert.True(connection.IsConnected);
        await connection.GetDatabase().PingAsync();
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task TheCacheIsBuiltAndListensToItsReplicasOnceTheHostHasStartedBeforeAnyoneAsksForIt()
    {
        // Building it waits for the backplane subscription; inside the first request on a busy thread pool that
        // stalled a consumer for tens of seconds.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var ns = CacheInstance.NewNamespace();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IConnectionMultiplexer>(connection);
        builder.AddHiveCaching(ns);
        using var host = builder.Build();
        await host.StartAsync();

        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var channels = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "CHANNELS", $"*{ns}*"))!;
        Assert.Single(channels);
        await host.StopAsync();
    }

    [Fact]
    public async Task TheCacheIsPartOfTheServicesReadiness()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IConnectionMultiplexer>(await ConnectionMultiplexer.ConnectAsync(redis.Configuration));
        builder.AddHiveCaching("health-di");
        using var host = builder.Build();
        await host.StartAsync();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains("ready"));

        var entry = Assert.Single(report.Entries);
        Assert.Equal(("hive-cache", HealthStatus.Healthy, "Cache 'health-di' uses Redis."), (entry.Key, entry.Value.Status, entry.Value.Description));
        await host.StopAsync();
    }

    [Fact]
    public async Task InvalidOptionsStopTheHostFromStarting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Hive:Cache:JitterFraction"] = "3" });
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis.Configuration));
        builder.AddHiveCaching("catalog");

        using var host = builder.Build();
        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Fact]
    public void ABadNamespaceIsRejectedAtRegistration()
    {
        var services = new ServiceCollection();
        Assert.ThrowsAny<ArgumentException>(() => services.AddHiveCaching("Catalog:*"));
    }
}
