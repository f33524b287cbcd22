using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hive.Testing;

/// <summary>
/// A real server process (Redis, PostgreSQL, RabbitMQ) started for tests from the same scripts in
/// <c>infra/</c> the AppHost uses, on a free loopback port with a throw-away data folder. It can be
/// stopped and started again on the same port and data, which is how tests take a dependency away.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly string _script;
    private readonly Func<int, string, IReadOnlyList<string>> _arguments;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Func<CancellationToken, Task> _probe;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private LocalServer(
        string name,
        string script,
        Func<int, string, IReadOnlyList<string>> arguments,
        IReadOnlyDictionary<string, string> environment,
        Func<LocalServer, Func<CancellationToken, Task>> probe)
    {
        Name = name;
        _script = script;
        _arguments = arguments;
        _environment = environment;
        Port = FreePort();
        DataDirectory = Path.Combine(Path.GetTempPath(), $"hive-test-{name}-{Guid.NewGuid():N}");
        _probe = probe(this);
    }

    public string Name { get; }

    public int Port { get; }

    public string DataDirectory { get; }

    public bool IsRunning => _process is { HasExited: false };

    public static LocalServer Create(
        string name,
        string script,
        Func<int, string, IReadOnlyList<string>> arguments,
        IReadOnlyDictionary<string, string> environment,
        Func<LocalServer, Func<CancellationToken, Task>> probe)
        => new(name, script, arguments, environment, probe);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server and waits until its protocol answers (not merely its port).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning)
        {
            return;
        }

        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The server stops with this process even when the fixture is never disposed (infra/with-parent.sh).
        info.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "infra", "with-parent.sh"));
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("bash");
        info.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "infra", _script));
        foreach (var argument in _arguments(Port, DataDirectory))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Name}.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await _probe(attempt.Token);
                return;
            }
            catch (Exception ex)
            {
                last = ex;
                await Task.Delay(150);
            }
        }

        throw new TimeoutException($"{Name} did not answer on port {Port}: {last?.Message}\n{Output}");
    }

    /// <summary>Stops the server (SIGTERM, then SIGKILL) and waits for the process to end.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            // SIGTERM lets the start script shut its server down cleanly.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill!.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        _process = null;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // Best effort: a server's last writes may race the delete.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }
}
