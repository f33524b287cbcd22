using System.Globalization;
using Hive.Bench.Fleet;
using Hive.Bench.Http;
using Hive.Bench.Figures;

namespace Hive.Bench.Experiments;

/// <summary>
/// Cold (nothing cached for the request) against warm (served from the cache) through the gateway, on a
/// fleet it starts with the chosen data set. A cold request is the same query as the warm one with one
/// parameter moved so no cache entry can exist for it:
/// list: another category and minPrice per request; product: another id; featured: another limit (1–100);
/// search: another product word and minPrice; autocomplete: another three-letter prefix.
/// </summary>
internal static class ColdWarmBench
{
    private static readonly string[] Words =
    [
        "samsung", "tecno", "infinix", "kikoi", "kiondo", "sufuria", "jiko", "maize", "unga", "kitenge",
        "shoes", "charger", "radio", "blender", "solar", "panga", "mbegu", "sukuma", "thermos", "lotion",
    ];

    public static async Task RunAsync(string seed, string environment, LoadOptions options, string resultsFolder, TextWriter output, CancellationToken cancellationToken)
    {
        var run = RunInfo.Begin(environment);
        output.WriteLine($"Starting the fleet ({environment}) with the '{seed}' data set...");
        // One client address sends everything: with the gateway's rate limits on, most requests would be
        // 429s answered in a millisecond and the figures would measure the limiter, not the cache.
        await using var fleet = await BenchFleet.StartAsync(
            [$"--Hive:Seed={seed}", $"--environment={environment}", "--Gateway:RateLimits:Enabled=false", "--Hive:DirectEndpoints=true"], cancellationToken);
        run = run with { Environment = fleet.Environment };
        var gateway = fleet.Endpoint("gateway");
        Uri At(string path) => new(gateway, path);
        string Price(long n) => (n / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
        var prefixes = ThreeLetterPrefixes();

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, ActivityHeadersPropagator = null }) { Timeout = TimeSpan.FromSeconds(60) };
        var pairs = new (string Title, HttpScenario Cold, HttpScenario Warm, LoadOptions Options)[]
        {
            ("catalog list",
                new("list cold", n => At($"/api/catalog/products?category={1 + (n % 12)}&minPrice={Price(n)}&sort=newest&pageSize=20")),
                new("list warm", At("/api/catalog/products?category=1&sort=newest&pageSize=20")),
                options),
            ("catalog product by id",
                new("product cold", n => At($"/api/catalog/products/{1 + ((n * 7919) % 199_999)}")),
                new("product warm", At("/api/catalog/products/12345")),
                options),
            ("catalog featured",
                new("featured cold", n => At($"/api/catalog/products/featured?limit={1 + (n % 100)}")),
                new("featured warm", At("/api/catalog/products/featured?limit=20")),
                options with { Requests = Math.Min(options.Requests, 95), Warmup = 4 }),
            ("search",
                new("search cold", n => At($"/api/search?q={Words[n % Words.Length]}&minPrice={Price(n)}&pageSize=20")),
                new("search warm", At("/api/search?q=samsung%20galaxy&pageSize=20")),
                options),
            ("autocomplete",
                new("autocomplete cold", n => At($"/api/search/autocomplete?q={prefixes[(int)(n % prefixes.Count)]}")),
                new("autocomplete warm", At("/api/search/autocomplete?q=sam")),
                options with { Requests = Math.Min(options.Requests, prefixes.Count / 3) }),
        };

        // CPU per request of each process (Postgres by the role its backends serve): on two shared cores a cold
        // request's latency is mostly waiting for the CPU, and this says who used it.
        var cpu = Cpu.CpuLedger.Available ? Cpu.CpuLedger.ForFleet() : null;
        var sets = new List<ScenarioSet>();
        foreach (var (title, cold, warm, pairOptions) in pairs)
        {
            output.WriteLine();
            output.WriteLine($"== {title}");
            if (cpu is not null && pairOptions.Requests >= 1_000)
            {
                // Cold scenarios draw new ids, prices and prefixes per request, so settling leaves the measured ones
                // cold; not for "featured", whose hundred cold answers would all be cached by then.
                await Settling.RunAsync(client, [cold, warm], pairOptions with { Requests = Math.Min(200, pairOptions.Requests / 10), Warmup = 10 }, 20, TimeSpan.FromSeconds(30), output, cancellationToken);
            }

            var results = await LoadRunner.RunAsync(client, [cold, warm], pairOptions, cancellationToken, cpu);
            Report.Print(results, pairOptions, output);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cached is {results[0].Percentile(50) / results[1].Percentile(50):0.0}x faster at p50, {results[0].Percentile(99) / results[1].Percentile(99):0.0}x at p99"));
            sets.Add(ScenarioSet.From(title, string.Create(CultureInfo.InvariantCulture,
                $"'{seed}' data set, through the gateway, {pairOptions.Concurrency} connections, up to {pairOptions.Requests} requests or {pairOptions.Duration.TotalSeconds:0} s each, {pairOptions.Warmup} warm-up"), results));
        }

        output.WriteLine($"saved {await ResultsFile.SaveAsync(resultsFolder, "coldwarm", run, sets, cancellationToken)}");
    }

    /// <summary>Three-letter prefixes of words that occur in product names, then every other combination, in a fixed shuffle.</summary>
    private static List<string> ThreeLetterPrefixes()
    {
        var random = new Random(7);
        var all = new List<string>();
        for (var a = 'a'; a <= 'z'; a++)
        {
            for (var b = 'a'; b <= 'z'; b++)
            {
                for (var c = 'a'; c <= 'z'; c++)
                {
                    all.Add($"{a}{b}{c}");
                }
            }
        }

        var real = Words.Select(w => w[..3]).Distinct().ToList();
        return [.. real, .. all.Except(real).OrderBy(_ => random.Next())];
    }
}
