using System.Diagnostics;

namespace Hive.Bench.Floor;

/// <summary>
/// A floor server (bare Kestrel or bare relay) in a process of its own, as each Hive service runs: the same
/// topology as Hive's paths (load generator → relay → backend, three processes), so the floor pays the same
/// process boundaries, thread pools and wake-ups Hive pays. The bench starts its own executable with
/// <c>floor-server</c>; the child prints its address and serves until its standard input closes (the bench
/// disposes it or dies). The child gets the runtime settings the gateway and catalog get from the AppHost
/// (socket completions inline unless <c>Hive:InlineSocketCompletions=false</c>, concurrent GC, no spinning),
/// so a ratio to it says what Hive's code adds, not what a setting does.
/// </summary>
internal sealed class FloorProcess : IAsyncDisposable
{
    /// <summary>The argument the CPU ledger tells floor processes by.</summary>
    public const string Command = "floor-server";

    private readonly Process _process;
    private readonly string? _bodyFile;

    private FloorProcess(Process process, Uri address, string? bodyFile)
    {
        _process = process;
        _bodyFile = bodyFile;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<FloorProcess> StartKestrelAsync(byte[] body, string etag, string cacheControl, CancellationToken cancellationToken)
    {
        var bodyFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(bodyFile, body, cancellationToken);
            return await StartAsync(["--kind", "kestrel", "--body-file", bodyFile, "--etag", etag, "--cache-control", cacheControl], bodyFile, cancellationToken);
        }
        catch
        {
            // Disposing the floor deletes the file; a floor that never started has no one else to.
            File.Delete(bodyFile);
            throw;
        }
    }

    public static Task<FloorProcess> StartRelayAsync(Uri backend, CancellationToken cancellationToken) =>
        StartAsync(["--kind", "relay", "--backend", backend.ToString()], null, cancellationToken);

    private static async Task<FloorProcess> StartAsync(string[] arguments, string? bodyFile, CancellationToken cancellationToken)
    {
        var start = BenchProcess.StartInfo([Command, .. arguments]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        // Set either way: the bench's own value (Http.InlineGenerator) would otherwise be inherited.
        start.Environment[Http.InlineGenerator.Variable] =
            string.Equals(Environment.GetEnvironmentVariable("Hive__InlineSocketCompletions"), "false", StringComparison.OrdinalIgnoreCase) ? "0" : "1";

        // The services run concurrent (background) GC, the bench does not.
        start.Environment["DOTNET_gcConcurrent"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The floor server did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The floor server ({string.Join(' ', arguments)}) did not start: {line ?? "it exited"}.");
            }

            return new FloorProcess(process, new Uri(line["listening ".Length..]), bodyFile);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>The child's side: serves until standard input closes.</summary>
    public static async Task<int> ServeAsync(CommandLine arguments, CancellationToken cancellationToken)
    {
        var app = arguments.Required("kind") switch
        {
            "kestrel" => FloorServers.BareKestrel(await File.ReadAllBytesAsync(arguments.Required("body-file"), cancellationToken), arguments.Required("etag"), arguments.Required("cache-control")),
            "relay" => FloorServers.BareRelay(Loopback.Require(arguments.Required("backend"))),
            var kind => throw new ArgumentException($"--kind must be kestrel or relay, not '{kind}'."),
        };
        await using (app)
        {
            var address = await FloorServers.StartAsync(app, cancellationToken);
            Console.WriteLine($"listening {address}");
            await Console.Out.FlushAsync(cancellationToken);
            await Console.In.ReadToEndAsync(cancellationToken);
            await app.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
        if (_bodyFile is not null)
        {
            File.Delete(_bodyFile);
        }
    }
}
