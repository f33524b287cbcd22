using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Hive.Bench.Fleet;
using Hive.Bench.Http;
using Hive.Caching;
using Hive.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace Hive.Bench.Experiments;

/// <summary>
/// The edge's costs in one fleet run: a cached GET through the gateway with and without the Redis rate
/// limiter (two gateways side by side on the same services), each anonymous and with a bearer token (token
/// validation at the gateway and the service), rate-limit decisions per second against
/// the fleet's one Redis, and the time to the first 503 (then the next ones) while Postgres is frozen.
/// </summary>
internal static class EdgeBench
{
    public static async Task RunAsync(string path, int decisionSeconds, LoadOptions options, HttpClient client, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("Starting the fleet (gateway with rate limits + gateway-unlimited)...");
        await using var fleet = await BenchFleet.StartAsync(
            ["--Hive:Seed=demo", "--Hive:Bench:GatewayWithoutRateLimits=true",
             // One client address sends everything here: a budget it cannot exhaust, so every check is a real allowed decision.
             .. new[] { "default", "search", "autocomplete", "writes", "media", "health" }.Select(p => $"--Gateway:RateLimits:Policies:{p}:Limit=1000000")],
            cancellationToken);
        await fleet.App.ResourceNotifications.WaitForResourceHealthyAsync("gateway-unlimited", cancellationToken);

        foreach (var resource in new[] { "gateway-unlimited", "gateway" })
        {
            // One request each first, so a gateway that is not answering shows up here rather than as a load-run timeout.
            var clock = Stopwatch.StartNew();
            using var probe = await client.GetAsync(new Uri(fleet.Endpoint(resource), path), cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{resource}: first GET {(int)probe.StatusCode} in {clock.ElapsedMilliseconds} ms; RateLimit: {(probe.Headers.TryGetValues("RateLimit", out var v) ? v.First() : "-")}"));
        }

        // A signed-in buyer's token: JwtBearer validates it at the gateway (the rate limiter keys on its
        // subject) and again at catalog, whose pipeline authenticates every request that carries one.
        var token = await fleet.AccessTokenAsync("buyer-1@hive.test", cancellationToken);
        output.WriteLine($"## Cached GET {path}: gateway without/with the rate-limit check, anonymous/with a bearer token");
        var scenarios = new List<HttpScenario>
        {
            new("no rate limit, anonymous", new Uri(fleet.Endpoint("gateway-unlimited"), path)),
            new("no rate limit, token", new Uri(fleet.Endpoint("gateway-unlimited"), path)) { BearerToken = token },
            new("rate limit, anonymous", new Uri(fleet.Endpoint("gateway"), path)),
            new("rate limit, token", new Uri(fleet.Endpoint("gateway"), path)) { BearerToken = token },
        };
        Report.Print(await LoadRunner.RunAsync(client, scenarios, options, cancellationToken), options, output);

        var redis = await fleet.App.GetConnectionStringAsync("redis", cancellationToken) ?? throw new InvalidOperationException("no redis connection string");
        await MeasureDecisionsAsync(redis, TimeSpan.FromSeconds(decisionSeconds), output);

        var postgres = new NpgsqlConnectionStringBuilder(await fleet.App.GetConnectionStringAsync("postgres", cancellationToken));
        await MeasureFirst503Async(client, fleet.Endpoint("gateway"), postgres.Port, output, cancellationToken);
    }

    /// <summary>64 concurrent callers on 1,000 client keys against one Redis, for a fixed time.</summary>
    private static async Task MeasureDecisionsAsync(string redisConfiguration, TimeSpan duration, TextWriter output)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddSingleton<IConnectionMultiplexer>(await ConnectionMultiplexer.ConnectAsync(redisConfiguration));
        services.AddHiveCaching("bench");
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<IRedisPrimitives>();
        var keys = Enumerable.Range(0, 1_000).Select(i => cache.Keys.For("rate-bench", "ip:10.0." + i)).ToArray();

        long decisions = 0;
        long allowed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async worker =>
        {
            var i = worker;
            while (clock.Elapsed < duration)
            {
                var result = await cache.CheckRateLimitAsync(keys[i++ % keys.Length], 100, TimeSpan.FromSeconds(60));
                Interlocked.Increment(ref decisions);
                if (result.Allowed)
                {
                    Interlocked.Increment(ref allowed);
                }
            }
        }));

        output.WriteLine();
        output.WriteLine($"## Rate-limit decisions against one Redis ({duration.TotalSeconds:0} s, 64 concurrent callers, 1,000 keys, limit 100/min)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{decisions:N0} decisions ({allowed:N0} allowed) = {decisions / clock.Elapsed.TotalSeconds:N0} decisions/s"));
    }

    /// <summary>Freezes Postgres (SIGSTOP) and times uncached searches through the gateway until each is answered.</summary>
    private static async Task MeasureFirst503Async(HttpClient client, Uri gateway, int postgresPort, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine();
        output.WriteLine("## Postgres frozen (SIGSTOP): uncached searches through the gateway");
        await using (var pause = await PostgresPause.StartAsync(postgresPort))
        {
            for (var i = 1; i <= 5; i++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await client.GetAsync(new Uri(gateway, $"/api/search?q=bench{Guid.NewGuid():N}"), cancellationToken);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"request {i}: {(int)response.StatusCode} after {clock.Elapsed.TotalMilliseconds:N0} ms (Retry-After {response.Headers.RetryAfter?.Delta?.TotalSeconds})"));
            }
        }

        var recovery = Stopwatch.StartNew();
        while (!cancellationToken.IsCancellationRequested && recovery.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var response = await client.GetAsync(new Uri(gateway, $"/api/search?q=bench{Guid.NewGuid():N}"), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after SIGCONT: first 200 after {recovery.Elapsed.TotalMilliseconds:N0} ms"));
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        output.WriteLine("after SIGCONT: no 200 within 60 s");
    }
}
