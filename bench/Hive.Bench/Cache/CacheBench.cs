using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Hive.Caching;
using Hive.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

namespace Hive.Bench.Cache;

/// <summary>
/// Cost per operation of Hive.Caching against a real redis-server on loopback (started for the run):
/// L1 hit, L2 hit, GetMany(20) against 20 single gets, a rate-limit check (one Redis call, and leased),
/// lock acquire+release.
/// Single caller, so the figures are latencies; every L2 figure reads keys this instance never held.
/// As in a service, an OpenTelemetry meter provider listens to the library's instruments (ServiceDefaults
/// adds the Hive.Caching meter), and the L1 loop runs two seconds before it is measured, long enough for
/// the JIT's tiering to finish: 200 warm-up calls measured tier-0 code.
/// </summary>
internal static class CacheBench
{
    public static async Task RunAsync(int iterations, TextWriter output)
    {
        await using var redis = Servers.Redis();
        await redis.StartAsync();
        var exported = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter([.. Microsoft.Extensions.Hosting.Extensions.AdditionalMeters]).AddInMemoryExporter(exported).Build();
        await using var writer = await CacheHost.StartAsync(Servers.RedisConfiguration(redis));
        // The reader takes no rate-limit leases, so one run compares a leased check with one Redis call per check.
        await using var reader = await CacheHost.StartAsync(Servers.RedisConfiguration(redis), new() { ["Hive:Cache:RateLimitLeaseMax"] = "1" });
        var keys = writer.Cache.Keys;
        var payload = new Product(42, "Samsung Galaxy A14", "samsung-galaxy-a14", 18_999m, ["phones", "samsung"]);

        var results = new List<(string Name, HistogramBase Latency, int Count)>();

        // The harness alone (a completed call, two timestamps, a histogram record): what every row below includes.
        results.Add(("harness (no-op)", await MeasureAsync(iterations, _ => Task.CompletedTask, TimeSpan.FromSeconds(1)), iterations));

        // L1: one key, read again and again from memory.
        var hot = keys.For("product", "hot");
        await writer.Cache.SetAsync(hot, payload);
        results.Add(("L1 hit (Get)", await MeasureAsync(iterations, async _ => await writer.Cache.GetAsync<Product>(hot), TimeSpan.FromSeconds(2)), iterations));

        // L2: keys written by the other instance, each read once here (memory cold, Redis warm).
        var l2Count = Math.Min(iterations, 20_000);
        await writer.Cache.SetManyAsync(Enumerable.Range(0, (l2Count * 22) + 5_000).Select(i => KeyValuePair.Create(keys.For("product", i), payload)), CacheDuration.Long);
        results.Add(("L2 hit (Get)", await MeasureAsync(l2Count, async i => await reader.Cache.GetAsync<Product>(keys.For("product", i))), l2Count));

        var batches = l2Count / 20;
        var offset = l2Count + 1_000;
        results.Add(("GetMany(20) from L2", await MeasureAsync(batches, async i =>
            await reader.Cache.GetManyAsync<Product>(Enumerable.Range(offset + (int)(i * 20), 20).Select(n => keys.For("product", n)))), batches));
        offset += (batches * 20) + 5_000 - 1_000;
        results.Add(("20 x Get from L2", await MeasureAsync(batches, async i =>
        {
            for (var n = 0; n < 20; n++)
            {
                await reader.Cache.GetAsync<Product>(keys.For("product", offset + (int)(i * 20) + n));
            }
        }), batches));

        var limited = keys.For("client", "bench");
        results.Add(("CheckRateLimit (Redis)", await MeasureAsync(l2Count, async _ => await reader.Primitives.CheckRateLimitAsync(limited, 1_000_000, TimeSpan.FromMinutes(1))), l2Count));
        var leased = keys.For("client", "bench-leased");
        results.Add(("CheckRateLimit (leased)", await MeasureAsync(l2Count, async _ => await writer.Primitives.CheckRateLimitAsync(leased, 1_000_000, TimeSpan.FromMinutes(1))), l2Count));

        var lockKey = keys.For("order", "bench");
        results.Add(("Lock acquire+release", await MeasureAsync(l2Count, async _ =>
        {
            await using var handle = await writer.Primitives.AcquireLockAsync(lockKey, TimeSpan.FromSeconds(5))
                ?? throw new InvalidOperationException("The bench lock was busy.");
        }), l2Count));

        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{"operation",-24} {"ops",8} {"mean ns/op",12} {"p50 µs",9} {"p99 µs",9}"));
        foreach (var (name, latency, count) in results)
        {
            output.WriteLine(string.Create(c, $"{name,-24} {count,8} {latency.GetMean(),12:0} {latency.GetValueAtPercentile(50) / 1000.0,9:0.0} {latency.GetValueAtPercentile(99) / 1000.0,9:0.0}"));
        }

        double Mean(string name) => results.Single(r => r.Name == name).Latency.GetMean();
        var harness = Mean("harness (no-op)");
        output.WriteLine(string.Create(c, $"ratio L2/L1 (mean): {Mean("L2 hit (Get)") / Mean("L1 hit (Get)"):0.0}x; net of the harness's {harness:0} ns: {(Mean("L2 hit (Get)") - harness) / (Mean("L1 hit (Get)") - harness):0.0}x"));
        output.WriteLine(string.Create(c, $"ratio GetMany(20)/Get from L2 (mean): {Mean("GetMany(20) from L2") / Mean("L2 hit (Get)"):0.00}x; 20 x Get / GetMany(20): {Mean("20 x Get from L2") / Mean("GetMany(20) from L2"):0.0}x"));
    }

    /// <summary>Runs the operation <paramref name="count"/> times after a short warm-up; the histogram holds nanoseconds.</summary>
    private static async Task<HistogramBase> MeasureAsync(int count, Func<long, Task> operation, TimeSpan warmUp = default)
    {
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < Math.Min(200, count) || warming.Elapsed < warmUp; i++)
        {
            // Warm-up indices lie past the measured range, so measured reads never find warm-up entries in memory.
            await operation(count + (i % 200));
        }

        var histogram = new LongHistogram(1, TimeStamp.Seconds(10), 3);
        for (long i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation(i);
            histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds));
        }

        return histogram;
    }

    internal sealed record Product(long Id, string Name, string Slug, decimal Price, string[] Tags);

    /// <summary>One service's cache: its own memory (L1), the shared Redis (L2) and backplane.</summary>
    private sealed class CacheHost : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private CacheHost(ServiceProvider services) => _services = services;

        public IHiveCache Cache => _services.GetRequiredService<IHiveCache>();

        public IRedisPrimitives Primitives => _services.GetRequiredService<IRedisPrimitives>();

        public static async Task<CacheHost> StartAsync(string configuration, Dictionary<string, string?>? settings = null)
        {
            var services = new ServiceCollection();
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());
            services.AddSingleton<IConnectionMultiplexer>(await ConnectionMultiplexer.ConnectAsync(configuration));
            services.AddHiveCaching("bench");
            return new CacheHost(services.BuildServiceProvider());
        }

        public async ValueTask DisposeAsync()
        {
            var redis = _services.GetRequiredService<IConnectionMultiplexer>();
            await _services.DisposeAsync();
            await redis.DisposeAsync();
        }
    }
}
