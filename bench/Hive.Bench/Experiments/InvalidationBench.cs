using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Hive.Bench.Fleet;
using Hive.Bench.Http;
using Hive.Bench.Figures;

namespace Hive.Bench.Experiments;

/// <summary>
/// Commit-to-eviction latency at a fixed update rate, read from each service's own measurement
/// (<c>/admin/invalidation/lag</c>: now − the event's OccurredAt, stamped in the committing transaction).
/// Phase 1: only catalog consumes (search, media, metrics stopped). Phase 2: all four consume.
/// Each service also splits its delays into hops (to the broker, delivery, eviction), printed per phase.
/// </summary>
internal static class InvalidationBench
{
    private static readonly string[] Consumers = ["catalog", "search", "media", "metrics"];

    public static async Task RunAsync(int rate, TimeSpan duration, TimeSpan warmup, string environment, string resultsFolder, TextWriter output, CancellationToken cancellationToken)
    {
        var run = RunInfo.Begin(environment);
        output.WriteLine($"Starting the fleet ({environment})...");
        await using var fleet = await BenchFleet.StartAsync(
            ["--Hive:Seed=demo", $"--environment={environment}", "--Gateway:RateLimits:Enabled=false", "--Hive:DirectEndpoints=true"], cancellationToken);
        run = run with { Environment = fleet.Environment };
        // The services' /admin endpoints need an admin token.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fleet.AccessTokenAsync("admin@hive.test", cancellationToken));
        var gateway = fleet.Endpoint("gateway");
        var targets = await ProductsByBusinessAsync(http, gateway, cancellationToken);
        var sellers = new Dictionary<long, HttpClient>();
        foreach (var business in targets.Select(t => t.BusinessId).Distinct())
        {
            sellers[business] = await SellerAsync(fleet, business, cancellationToken);
        }

        string[] others = ["search", "media", "metrics"];
        foreach (var service in others)
        {
            Console.Error.WriteLine($"  .. stopping {service} for the one-consumer phase");
            await fleet.CommandAsync(service, KnownResourceCommands.StopCommand, cancellationToken);
        }

        await WarmUpAsync(http, fleet, sellers, targets, rate, warmup, ["catalog"], cancellationToken);
        var cpu = Cpu.CpuLedger.Available ? Cpu.CpuLedger.ForFleet() : null;
        var cpuBefore = cpu?.Snapshot();
        var sent1 = await DriveUpdatesAsync(sellers, targets, rate, duration, "phase 1, catalog consumes alone", cancellationToken);
        var one = await ReadAsync(http, fleet, ["catalog"], sent1.Committed, cancellationToken);
        var cpu1 = cpu is null ? null : Cpu.CpuLedger.Difference(cpuBefore!, cpu.Snapshot());

        foreach (var service in others)
        {
            Console.Error.WriteLine($"  .. starting {service} again for the four-consumer phase");
            await fleet.CommandAsync(service, KnownResourceCommands.StartCommand, cancellationToken);
        }

        foreach (var service in others)
        {
            await fleet.App.ResourceNotifications.WaitForResourceHealthyAsync(service, cancellationToken);
        }

        // The restarted services drain what piled up in their queues while they were down and warm up, then measure afresh.
        // 30 s by default: after 10 s, the JIT and its W^X double mapping were still 12 % of a restarted consumer's CPU
        // samples, and the four-consumer phase measured compilation (bench/RESULTS.md, 2026-11-27, third run).
        await WarmUpAsync(http, fleet, sellers, targets, rate, warmup, Consumers, cancellationToken);
        cpuBefore = cpu?.Snapshot();
        var sent4 = await DriveUpdatesAsync(sellers, targets, rate, duration, "phase 2, four consumers", cancellationToken);
        var four = await ReadAsync(http, fleet, Consumers, sent4.Committed, cancellationToken);
        var cpu4 = cpu is null ? null : Cpu.CpuLedger.Difference(cpuBefore!, cpu.Snapshot());

        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{rate} updates/s for {duration.TotalSeconds:0} s per phase, after {warmup.TotalSeconds:0} s of the same not measured; lag = eviction time − commit time"));
        output.WriteLine(string.Create(c, $"updates failed (5xx or timeout at the gateway): phase 1 {sent1.Failed} of {sent1.Sent}, phase 2 {sent4.Failed} of {sent4.Sent}"));
        output.WriteLine(string.Create(c, $"{"phase",-16} {"service",-9} {"evictions",9} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}"));
        foreach (var (phase, readings) in new[] { ("1 consumer", one), ("4 consumers", four) })
        {
            foreach (var (service, lag) in readings)
            {
                output.WriteLine(string.Create(c, $"{phase,-16} {service,-9} {lag.Evictions,9} {lag.P50Ms,8:0.0} {lag.P95Ms,8:0.0} {lag.P99Ms,8:0.0} {lag.MaxMs,8:0.0}"));
            }
        }

        output.WriteLine("where the time goes, per hop (toBroker: commit to the publisher's send stamp; delivery: broker to the consumer's start; evict: ledger and evictions)");
        output.WriteLine(string.Create(c, $"{"phase",-16} {"service",-9} {"hop",-9} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}"));
        foreach (var (phase, readings) in new[] { ("1 consumer", one), ("4 consumers", four) })
        {
            foreach (var (service, lag) in readings)
            {
                foreach (var (hop, share) in lag.Hops ?? [])
                {
                    output.WriteLine(string.Create(c, $"{phase,-16} {service,-9} {hop,-9} {share.P50Ms,8:0.0} {share.P95Ms,8:0.0} {share.P99Ms,8:0.0} {share.MaxMs,8:0.0}"));
                }
            }
        }

        // CPU from the first update of a phase until every service had evicted its last one (the wait included).
        foreach (var (phase, used, sent) in new[] { ("1 consumer", cpu1, sent1), ("4 consumers", cpu4, sent4) })
        {
            if (used is not null)
            {
                output.WriteLine(string.Create(c, $"{phase}: CPU per update (µs), by process: {Cpu.CpuLedger.Describe(used, seconds => seconds * 1e6 / Math.Max(1, sent.Committed), "0")}"));
            }
        }

        var catalogOne = one["catalog"].P99Ms;
        var worstFour = four.Values.Max(l => l.P99Ms);
        output.WriteLine(string.Create(c, $"p99 catalog alone {catalogOne:0.0} ms → worst of four {worstFour:0.0} ms ({worstFour / Math.Max(0.1, catalogOne):0.00}x)"));

        var figures = new InvalidationFigures(rate, duration.TotalSeconds,
        [
            .. one.Select(r => Saved("1 consumer", r.Key, sent1, r.Value)),
            .. four.Select(r => Saved("4 consumers", r.Key, sent4, r.Value)),
        ]);
        output.WriteLine($"saved {await ResultsFile.SaveAsync(resultsFolder, "invalidation", run, figures, cancellationToken)}");
    }

    private static async Task<Updates> DriveUpdatesAsync(
        Dictionary<long, HttpClient> sellers, IReadOnlyList<Target> targets, int rate, TimeSpan duration, string phase, CancellationToken cancellationToken)
    {
        // Open loop: one update is started every 1/rate s whatever the previous ones are doing.
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task<bool>>();
        var sent = 0;
        using var progress = Progress.Start(phase, () => Volatile.Read(ref sent), "updates sent");
        while (clock.Elapsed < duration)
        {
            var target = targets[sent % targets.Count];
            var price = 100 + (sent % 5000);
            inFlight.Add(UpdateAsync(sellers[target.BusinessId], target.Id, price, cancellationToken));
            Interlocked.Increment(ref sent);
            var wait = (interval * sent) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
        }

        var succeeded = await Task.WhenAll(inFlight);
        return new Updates(sent, succeeded.Count(ok => !ok));
    }

    /// <summary>
    /// One price update. On a loaded machine the gateway may answer 503 or time out: that update is counted
    /// as failed (and reported) rather than ending the run; anything else unexpected (4xx) is a bench bug and throws.
    /// </summary>
    private static async Task<bool> UpdateAsync(HttpClient seller, long productId, int price, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await seller.PutAsJsonAsync($"products/{productId}", new { price }, cancellationToken);
            if ((int)response.StatusCode >= 500)
            {
                return false;
            }

            response.EnsureSuccessStatusCode();
            return true;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Updates at the phase's rate that are not measured: a service just (re)started runs unoptimised code
    /// and fills its pools, which is start-up, not invalidation. Waits until the consumers caught up, then resets.
    /// </summary>
    private static async Task WarmUpAsync(
        HttpClient http, BenchFleet fleet, Dictionary<long, HttpClient> sellers, IReadOnlyList<Target> targets, int rate, TimeSpan warmup, string[] services, CancellationToken cancellationToken)
    {
        await ResetAsync(http, fleet, services, cancellationToken);
        if (warmup > TimeSpan.Zero)
        {
            var sent = await DriveUpdatesAsync(sellers, targets, rate, warmup, "warm-up, not measured", cancellationToken);
            await ReadAsync(http, fleet, services, sent.Committed, cancellationToken);
        }

        await ResetAsync(http, fleet, services, cancellationToken);
    }

    private static async Task ResetAsync(HttpClient http, BenchFleet fleet, IEnumerable<string> services, CancellationToken cancellationToken)
    {
        foreach (var service in services)
        {
            using var response = await http.DeleteAsync(new Uri(fleet.Endpoint(service), "/admin/invalidation/lag"), cancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    private static async Task<Dictionary<string, Lag>> ReadAsync(HttpClient http, BenchFleet fleet, string[] services, int sent, CancellationToken cancellationToken)
    {
        // Wait (bounded) until every service has evicted for every update sent in this phase.
        var result = new Dictionary<string, Lag>();
        var deadline = Stopwatch.StartNew();
        foreach (var service in services)
        {
            Lag lag;
            do
            {
                lag = (await http.GetFromJsonAsync<Lag>(new Uri(fleet.Endpoint(service), "/admin/invalidation/lag"), JsonOptions, cancellationToken))!;
                if (lag.Evictions >= sent)
                {
                    break;
                }

                await Task.Delay(200, cancellationToken);
            }
            while (deadline.Elapsed < TimeSpan.FromSeconds(30));

            result[service] = lag;
        }

        return result;
    }

    private static async Task<IReadOnlyList<Target>> ProductsByBusinessAsync(HttpClient http, Uri gateway, CancellationToken cancellationToken)
    {
        var page = await http.GetFromJsonAsync<JsonElement>(new Uri(gateway, "/api/catalog/products?sort=newest&pageSize=100"), cancellationToken);
        return page.GetProperty("items").EnumerateArray()
            .Select(p => new Target(p.GetProperty("id").GetInt64(), p.GetProperty("businessId").GetInt64()))
            .ToList();
    }

    private static async Task<HttpClient> SellerAsync(BenchFleet fleet, long businessId, CancellationToken cancellationToken)
    {
        var client = new HttpClient { BaseAddress = new Uri(fleet.Endpoint("gateway"), "/api/catalog/"), Timeout = TimeSpan.FromSeconds(30) };
        var token = await fleet.AccessTokenAsync($"seller-{businessId}@hive.test", cancellationToken);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record Target(long Id, long BusinessId);

    private static LagFigures Saved(string phase, string service, Updates updates, Lag lag) =>
        new(phase, service, updates.Sent, updates.Failed, lag.Evictions, lag.Samples, lag.P50Ms, lag.P95Ms, lag.P99Ms, lag.MaxMs, lag.Hops);

    private sealed record Updates(int Sent, int Failed)
    {
        public int Committed => Sent - Failed;
    }

    private sealed record Lag(long Evictions, int Samples, double P50Ms, double P95Ms, double P99Ms, double MaxMs, Dictionary<string, HopFigures>? Hops);
}
