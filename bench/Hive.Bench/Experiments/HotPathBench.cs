using System.Globalization;
using Hive.Bench.Fleet;
using Hive.Bench.Floor;
using Hive.Bench.Http;
using Hive.Bench.Figures;

namespace Hive.Bench.Experiments;

/// <summary>
/// A cached <c>GET /api/catalog/products/{id}</c> against the transport floor, in one run: a bare Kestrel
/// app answering the same bytes, a bare YARP relay in front of it (each pair once in processes of its own,
/// once inside the bench), catalog straight and the Hive gateway in front of catalog, alternating in short
/// rounds so all six see the same machine. Closed loop first
/// (fixed workers), then, with <c>--rate</c>, open loop (fixed arrival rate, latency from the intended
/// send time). Prints Hive's ratios to each floor: issue 17's targets are gateway ≥ 0.7× the relay's
/// throughput with p50 within +0.3 ms of it, catalog ≥ 0.5× bare Kestrel.
/// </summary>
internal static class HotPathBench
{
    public static async Task RunAsync(
        string environment, int? rate, LoadOptions options, HttpClient client, string resultsFolder, TextWriter output, CancellationToken cancellationToken)
    {
        var run = RunInfo.Begin(environment);
        output.WriteLine($"Starting the fleet ({environment})...");
        await using var fleet = await BenchFleet.StartAsync(
            ["--Hive:Seed=demo", $"--environment={environment}",
             // Clients and the gateway reach catalog as in a deployment, not through the DCP proxy's extra hop.
             "--Hive:DirectEndpoints=true",
             // One client address sends everything: a budget it cannot exhaust, so every request pays a real allowed check.
             .. new[] { "default", "search", "autocomplete", "writes", "media", "health" }.Select(p => $"--Gateway:RateLimits:Policies:{p}:Limit=1000000")],
            cancellationToken);
        output.WriteLine($"fleet environment: {fleet.Environment}");
        run = run with { Environment = fleet.Environment };

        var catalog = fleet.Endpoint("catalog");
        var id = await FirstProductIdAsync(client, catalog, cancellationToken);
        var path = $"/api/catalog/products/{id}";
        using var sample = await client.GetAsync(new Uri(catalog, path), cancellationToken);
        sample.EnsureSuccessStatusCode();
        var body = await sample.Content.ReadAsByteArrayAsync(cancellationToken);
        var etag = sample.Headers.ETag!.ToString();
        var cacheControl = sample.Headers.CacheControl!.ToString();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET {path}: {body.Length} bytes, ETag {etag}"));

        // The floor twice: in processes of their own (the same topology as Hive's paths; the targets are judged
        // against these) and inside the bench process (one thread pool with the load generator, no process
        // boundary: a floor no deployment of separate services can reach; earlier runs had only this one).
        await using var ownKestrel = await FloorProcess.StartKestrelAsync(body, etag, cacheControl, cancellationToken);
        await using var ownRelay = await FloorProcess.StartRelayAsync(ownKestrel.Address, cancellationToken);
        await using var inBench = await FloorServers.StartAsync(body, etag, cacheControl, cancellationToken);
        foreach (var relay in new[] { ownRelay.Address, inBench.Relay })
        {
            using var check = await client.GetAsync(new Uri(relay, path), cancellationToken);
            var relayed = await check.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!relayed.AsSpan().SequenceEqual(body))
            {
                throw new InvalidOperationException($"The bare relay at {relay} does not answer the same bytes as catalog.");
            }
        }

        var scenarios = new List<HttpScenario>
        {
            new(Floors.Kestrel, new Uri(ownKestrel.Address, path)),
            new(Floors.Relay, new Uri(ownRelay.Address, path)),
            new(Floors.KestrelInBench, new Uri(inBench.Kestrel, path)),
            new(Floors.RelayInBench, new Uri(inBench.Relay, path)),
            new(Floors.Catalog, new Uri(catalog, path)),
            new(Floors.Gateway, new Uri(fleet.Endpoint("gateway"), path)),
        };

        var cpu = Cpu.CpuLedger.Available ? Cpu.CpuLedger.ForFleet() : null;
        if (cpu is not null)
        {
            // What the fleet burns with no request at all: background work every per-request figure includes.
            await PrintIdleAsync(cpu, "before the load", output, cancellationToken);
        }

        if (cpu is not null)
        {
            await Settling.RunAsync(client, scenarios, options with { Requests = 4_000, Duration = TimeSpan.FromSeconds(4), Warmup = 1 }, 100, TimeSpan.FromSeconds(90), output, cancellationToken);
        }

        output.WriteLine("## Closed loop");
        var compiling = cpu is not null ? Cpu.CpuLedger.CompilingThreads() : null;
        var measuring = System.Diagnostics.Stopwatch.StartNew();
        var closed = await LoadRunner.RunAsync(client, scenarios, options, cancellationToken, cpu);
        Report.Print(closed, options, output);
        if (compiling is not null)
        {
            // Settling stops at the first quiet round; what the JIT still did while the figures were taken is in them.
            var seconds = Cpu.CpuLedger.CompilingSince(compiling, Cpu.CpuLedger.CompilingThreads());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tiered compilation during the closed loop, all processes: {seconds:0.00} s of CPU, {100 * seconds / measuring.Elapsed.TotalSeconds:0.0} % of a core"));
        }

        PrintTargets(closed, output);
        var c = CultureInfo.InvariantCulture;
        var sets = new List<ScenarioSet>
        {
            ScenarioSet.From("closed loop", string.Create(c, $"GET {path} ({body.Length} bytes), {options.Concurrency} connections, up to {options.Requests} requests per path or {options.Duration.TotalSeconds:0} s for all paths together"), closed),
        };

        if (rate is { } perSecond)
        {
            output.WriteLine(string.Create(c, $"## Open loop, {perSecond} requests/s per scenario, {options.Duration.TotalSeconds:0} s each"));
            var open = await OpenLoopRunner.RunAsync(client, scenarios, perSecond, options.Duration, TimeSpan.FromSeconds(2), cancellationToken, cpu);
            Report.Print(open, options, output, openLoop: true);
            foreach (var result in open)
            {
                output.WriteLine(string.Create(c, $"{result.Name}: the load generator sent {result.SendLagPercentile(50):0.000} ms late at p50, {result.SendLagPercentile(99):0.000} ms at p99, {result.SendLagPercentile(100):0.000} ms at most; CPU µs per request: {Cpu.CpuLedger.Describe(result.CpuMicrosPerRequest(), v => v, "0")}"));
            }

            PrintTargets(open, output);
            sets.Add(ScenarioSet.From("open loop", string.Create(c, $"GET {path}, {perSecond} requests/s per path for {options.Duration.TotalSeconds:0} s, latency from the intended send time"), open));
        }

        if (cpu is not null)
        {
            // Start-up work (tier-1 compilation, first view refreshes) is over by now: what stays is the steady background.
            await PrintIdleAsync(cpu, "after the load", output, cancellationToken);
        }

        output.WriteLine(string.Create(c, $"telemetry exported by the fleet during the run: {fleet.Telemetry.Exports} OTLP exports, {fleet.Telemetry.Bytes / 1024.0:0} KiB"));
        output.WriteLine($"saved {await ResultsFile.SaveAsync(resultsFolder, "hotpath", run, sets, cancellationToken)}");
    }

    private static async Task PrintIdleAsync(Cpu.CpuLedger cpu, string when, TextWriter output, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromSeconds(5);
        var before = cpu.Snapshot();
        await Task.Delay(window, cancellationToken);
        var used = Cpu.CpuLedger.Difference(before, cpu.Snapshot());
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"idle fleet {when}, CPU over {window.TotalSeconds:0} s with no requests (% of one core): {Cpu.CpuLedger.Describe(used, seconds => 100 * seconds / window.TotalSeconds, "0.0")}"));
    }

    private static void PrintTargets(IReadOnlyList<LoadResult> results, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var r = results.ToDictionary(result => result.Name);
        var (catalog, gateway) = (r[Floors.Catalog], r[Floors.Gateway]);
        foreach (var (kestrel, relay, where) in new[] { (Floors.Kestrel, Floors.Relay, "in processes of its own, as the services run"), (Floors.KestrelInBench, Floors.RelayInBench, "inside the bench process") })
        {
            output.WriteLine($"against the floor {where}:");
            output.WriteLine(string.Create(c, $"  gateway / bare relay: throughput {gateway.Throughput / r[relay].Throughput:0.00}x (target >= 0.7), p50 {gateway.Percentile(50) - r[relay].Percentile(50):+0.000;-0.000} ms (target <= +0.3), p99 {gateway.Percentile(99) / r[relay].Percentile(99):0.00}x"));
            output.WriteLine(string.Create(c, $"  catalog / bare Kestrel: throughput {catalog.Throughput / r[kestrel].Throughput:0.00}x (target >= 0.5), p50 {catalog.Percentile(50) - r[kestrel].Percentile(50):+0.000;-0.000} ms"));
            output.WriteLine(string.Create(c, $"  bare relay / bare Kestrel: throughput {r[relay].Throughput / r[kestrel].Throughput:0.00}x"));
        }

        output.WriteLine(string.Create(c, $"gateway / catalog: throughput {gateway.Throughput / catalog.Throughput:0.00}x"));
    }

    private static async Task<long> FirstProductIdAsync(HttpClient client, Uri catalog, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(catalog, "/api/catalog/products?pageSize=1"), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var page = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return page.RootElement.GetProperty("items")[0].GetProperty("id").GetInt64();
    }
}
