using System.Globalization;
using Hive.Bench.Fleet;
using Hive.Bench.Http;

// Hive.Bench: bounded HTTP load against loopback only.
//   http --url URL [--compare URL2] [options]          against a fleet that is already running
//   gateway-cost [--path /api/catalog/categories]      starts the fleet, gateway vs straight to the service
//   invalidation [--rate 100 --seconds 20 --warmup-seconds 30] [--environment Production]  starts the fleet, commit-to-eviction lag per service and hop, 1 vs 4 consumers
//   coldwarm [--seed large] [--environment Production]  starts the fleet on that data set; catalog and search cold vs cached
//   edge [--path /api/catalog/categories]              starts the fleet; rate-limit cost on a cached GET, decisions/s, first 503 with Postgres frozen
//   cache [--iterations 100000]                        Hive.Caching per-operation cost on a local redis-server
//   mobile [--sessions 5]                              starts the fleet; a browsing session on simulated 3G, Hive.Mobile vs plain HttpClient
//   request-metrics                                    a cached GET with and without the per-route request figures
//   analytics [--events 200000]                        analytics ingestion (binary COPY + boards) on local servers
//   hotpath [--rate 2000] [--environment Production]   starts the fleet; a cached product GET against a bare Kestrel and a bare YARP relay, one run
//   floor-server --kind kestrel|relay ...             one floor server in its own process (hotpath starts these itself)
//   plot [--in bench/results] [--out bench/plots]     PNGs from the JSON that hotpath, coldwarm and invalidation save (--results DIR moves that JSON)
// options: --concurrency 8  --requests 5000  --duration 30  --warmup 200  (--rate N: also open loop at N requests/s per scenario)
if (Hive.Bench.Http.InlineGenerator.Relaunch(args) is { } exitCode)
{
    return exitCode;
}

var arguments = CommandLine.Parse(args);
var options = new LoadOptions(
    arguments.Int("concurrency", LoadOptions.Default.Concurrency),
    arguments.Int("requests", LoadOptions.Default.Requests),
    TimeSpan.FromSeconds(arguments.Int("duration", (int)LoadOptions.Default.Duration.TotalSeconds)),
    arguments.Int("warmup", LoadOptions.Default.Warmup));

// Where experiments save their figures as JSON (bench/results by default), for `plot` and for the record.
var resultsFolder = arguments.Optional("results") ?? Hive.Bench.Figures.ResultsFile.DefaultFolder("results");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
// Like a phone, the load generator sends no traceparent: the in-process AppHost listens to activities, and
// HttpClient would otherwise mark each request sampled, which a service reached straight honours.
using var client = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 512,
    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    ActivityHeadersPropagator = null,
})
{
    Timeout = TimeSpan.FromSeconds(30),
};

try
{
    switch (arguments.Command)
    {
        case "http":
        {
            var scenarios = new List<HttpScenario> { new("a " + arguments.Required("url"), Loopback.Require(arguments.Required("url"))) };
            if (arguments.Optional("compare") is { } compare)
            {
                scenarios.Add(new HttpScenario("b " + compare, Loopback.Require(compare)));
            }

            Report.Print(await LoadRunner.RunAsync(client, scenarios, options, cancel.Token), options, Console.Out);
            if (arguments.Optional("rate") is not null)
            {
                Console.WriteLine($"## Open loop, {arguments.Int("rate", 0)} requests/s per scenario, {options.Duration.TotalSeconds:0} s each");
                Report.Print(await OpenLoopRunner.RunAsync(client, scenarios, arguments.Int("rate", 0), options.Duration, TimeSpan.FromSeconds(2), cancel.Token), options, Console.Out, openLoop: true);
            }

            return 0;
        }

        case "gateway-cost":
        {
            var path = arguments.Optional("path") ?? "/api/catalog/categories";
            var service = arguments.Optional("service") ?? "catalog";
            Console.WriteLine("Starting the fleet...");
            await using var fleet = await BenchFleet.StartAsync([], cancel.Token);
            var scenarios = new List<HttpScenario>
            {
                new($"direct {service}", new Uri(fleet.Endpoint(service), path)),
                new("through gateway", new Uri(fleet.Endpoint("gateway"), path)),
            };
            Report.Print(await LoadRunner.RunAsync(client, scenarios, options, cancel.Token), options, Console.Out);
            return 0;
        }

        case "invalidation":
            await Hive.Bench.Experiments.InvalidationBench.RunAsync(
                arguments.Int("rate", 100), TimeSpan.FromSeconds(arguments.Int("seconds", 20)), TimeSpan.FromSeconds(arguments.Int("warmup-seconds", 30)), arguments.Optional("environment") ?? "Production", resultsFolder, Console.Out, cancel.Token);
            return 0;

        case "coldwarm":
            await Hive.Bench.Experiments.ColdWarmBench.RunAsync(arguments.Optional("seed") ?? "large", arguments.Optional("environment") ?? "Production", options, resultsFolder, Console.Out, cancel.Token);
            return 0;

        case "edge":
            await Hive.Bench.Experiments.EdgeBench.RunAsync(
                arguments.Optional("path") ?? "/api/catalog/categories", arguments.Int("decision-seconds", 10), options, client, Console.Out, cancel.Token);
            return 0;

        case "mobile":
            await Hive.Bench.Experiments.MobileBench.RunAsync(arguments.Int("seed", 7), arguments.Int("sessions", 5), Console.Out, cancel.Token);
            return 0;

        case "analytics":
            await Hive.Bench.Experiments.AnalyticsIngestionBench.RunAsync(arguments.Int("events", 200_000), Console.Out, cancel.Token);
            return 0;

        case "request-metrics":
            await Hive.Bench.Experiments.RequestMetricsBench.RunAsync(client, options, Console.Out, cancel.Token);
            return 0;

        case "media":
            await Hive.Bench.Experiments.MediaBench.RunAsync(arguments.Int("rounds", 3), arguments.Int("seconds", 10), arguments.Optional("fleet") != "false", Console.Out, cancel.Token);
            return 0;

        case "hotpath":
            await Hive.Bench.Experiments.HotPathBench.RunAsync(
                arguments.Optional("environment") ?? "Production",
                arguments.Optional("rate") is null ? null : arguments.Int("rate", 0),
                options,
                client,
                resultsFolder,
                Console.Out,
                cancel.Token);
            return 0;

        case Hive.Bench.Floor.FloorProcess.Command:
            return await Hive.Bench.Floor.FloorProcess.ServeAsync(arguments, cancel.Token);

        case "plot":
            return await Hive.Bench.Plots.PlotCommand.RunAsync(
                arguments.Optional("in") ?? resultsFolder,
                arguments.Optional("out") ?? Hive.Bench.Figures.ResultsFile.DefaultFolder("plots"),
                Console.Out,
                cancel.Token);

        case "cache":
            await Hive.Bench.Cache.CacheBench.RunAsync(arguments.Int("iterations", 100_000), Console.Out);
            return 0;

        default:
            Console.Error.WriteLine("usage: Hive.Bench http --url URL [--compare URL2] | gateway-cost [--path P] [--service S] | invalidation [--rate N --seconds S --warmup-seconds S --environment E] | coldwarm [--seed large --environment E] | edge [--path P] | cache [--iterations N] | mobile [--seed N --sessions N] | request-metrics | analytics [--events N] | media [--rounds N --seconds S --fleet false] | hotpath [--rate N --environment E] | plot [--in DIR --out DIR]  [--results DIR --concurrency N --requests N --duration S --warmup N --rate N]");
            return 2;
    }
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public string Command { get; private set; } = "";

    public static CommandLine Parse(string[] args)
    {
        var line = new CommandLine { Command = args.FirstOrDefault() ?? "" };
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value', got '{args[i]}'.");
            }

            line._values[args[i][2..]] = args[++i];
        }

        return line;
    }

    public string Required(string name) => Optional(name) ?? throw new ArgumentException($"--{name} is required.");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public int Int(string name, int fallback) => Optional(name) is { } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new ArgumentException($"--{name} must be a whole number.")
        : fallback;
}

/// <summary>Benchmarks send traffic to this machine only.</summary>
internal static class Loopback
{
    public static Uri Require(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"'{url}' is not an absolute http(s) URL.");
        }

        if (!uri.IsLoopback)
        {
            throw new ArgumentException($"'{url}' is not a loopback address; benchmarks only target this machine.");
        }

        return uri;
    }
}
