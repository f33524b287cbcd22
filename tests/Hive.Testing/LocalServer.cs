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
    private readonly Func<LocalServer, CancellationToken, Task>? _reset;
    private readonly SharedServers.Slot? _slot;
    private readonly StringBuilder _output = new();
    private Process? _process;
    private int _sharedPid;
    private IReadOnlyList<string>? _sharedArguments;

    private LocalServer(
        string name,
        string script,
        Func<int, string, IReadOnlyList<string>> arguments,
        IReadOnlyDictionary<string, string> environment,
        Func<LocalServer, Func<CancellationToken, Task>> probe,
        string? sharedKind,
        Func<LocalServer, CancellationToken, Task>? reset)
    {
        Name = name;
        _script = script;
        _arguments = arguments;
        _environment = environment;
        _reset = reset;
        if (sharedKind is not null && SharedServers.Directory is { } shared)
        {
            Directory.CreateDirectory(shared);
            _slot = SharedServers.Take(shared, sharedKind);
            Port = _slot.Read()?.Port ?? FreePort();
            DataDirectory = _slot.DataDirectory;
        }
        else
        {
            Port = FreePort();
            DataDirectory = Path.Combine(Path.GetTempPath(), $"hive-test-{name}-{Guid.NewGuid():N}");
        }

        _probe = probe(this);
    }

    public string Name { get; }

    public int Port { get; private set; }

    public string DataDirectory { get; }

    public bool IsRunning => _slot is null ? _process is { HasExited: false } : ProcessTree.IsAlive(_sharedPid);

    /// <summary>True when this server is shared between test processes (see <see cref="SharedServers"/>).</summary>
    public bool IsShared => _slot is not null;

    /// <summary>The arguments of the start script while the server runs (shared servers only).</summary>
    public IReadOnlyList<string> SharedArguments => _sharedArguments ?? [];

    public static LocalServer Create(
        string name,
        string script,
        Func<int, string, IReadOnlyList<string>> arguments,
        IReadOnlyDictionary<string, string> environment,
        Func<LocalServer, Func<CancellationToken, Task>> probe,
        string? sharedKind = null,
        Func<LocalServer, CancellationToken, Task>? reset = null)
        => new(name, script, arguments, environment, probe, sharedKind, reset);

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

        if (_slot is not null)
        {
            await StartSharedAsync(_slot, timeout ?? TimeSpan.FromSeconds(60));
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

        var process = _process;
        await WaitUntilItAnswersAsync(
            timeout ?? TimeSpan.FromSeconds(60),
            () => process.HasExited ? $"{Name} exited with {process.ExitCode} while starting:\n{Output}" : null);
    }

    private async Task WaitUntilItAnswersAsync(TimeSpan timeout, Func<string?> exited)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (exited() is { } message)
            {
                throw new InvalidOperationException(message);
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

    private async Task StartSharedAsync(SharedServers.Slot slot, TimeSpan timeout)
    {
        var record = slot.Read();
        var firstStart = _sharedArguments is null;
        if (firstStart && record is not null && record.Port == Port && IsSharedServer(record.Pid))
        {
            // A server a previous test process left: take it over once it answers, reset to a fresh state.
            _sharedPid = record.Pid;
            _sharedArguments = record.Arguments;
            try
            {
                await WaitUntilItAnswersAsync(TimeSpan.FromSeconds(5), () => ProcessTree.IsAlive(record.Pid) ? null : $"{Name} ended");
                if (_reset is not null)
                {
                    using var resetting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await _reset(this, resetting.Token);
                }

                return;
            }
            catch (Exception)
            {
                // Hung (a test may have frozen it) or not resettable: replaced by a fresh one below.
            }
        }

        if (record is not null && IsSharedServer(record.Pid))
        {
            await KillTreeAsync(record.Pid);
        }

        slot.Forget();
        if (firstStart)
        {
            Port = FreePort();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }

            _sharedArguments = _arguments(Port, DataDirectory);
        }

        // Detached (setsid -f) so that ending the test process, or its whole process tree, leaves it running;
        // infra/with-parent.sh stops it when the owner ends.
        File.Delete(slot.PidPath);
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in (IEnumerable<string>)
            [
                "-f", "bash", "-c", "echo $$ > \"$1\"; log=$2; shift 2; exec \"$@\" >>\"$log\" 2>&1", "shared-server",
                slot.PidPath, slot.LogPath,
                "bash", Path.Combine(RepositoryRoot.Path, "infra", "with-parent.sh"),
                SharedServers.Owner.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "bash", Path.Combine(RepositoryRoot.Path, "infra", _script),
            ])
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var argument in _sharedArguments!)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        using (var detach = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Name}."))
        {
            await detach.WaitForExitAsync();
        }

        var pidDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!int.TryParse(ReadOrEmpty(slot.PidPath).Trim(), out _sharedPid) && DateTime.UtcNow < pidDeadline)
        {
            await Task.Delay(20);
        }

        var pid = _sharedPid;
        await WaitUntilItAnswersAsync(timeout, () => ProcessTree.IsAlive(pid) ? null : $"{Name} exited while starting:\n{Output}");
        slot.Write(new SharedServers.Record(Port, pid, _sharedArguments));
    }

    /// <summary>A shared server's recorded pid is its infra/with-parent.sh wrapper, unless the pid was reused since.</summary>
    private static bool IsSharedServer(int pid) => ProcessTree.IsAliveRunning(pid, "with-parent.sh");

    private static async Task KillTreeAsync(int pid)
    {
        var tree = ProcessTree.Descendants(pid).Prepend(pid).ToList();
        await ProcessTree.SignalAsync("CONT", tree);
        await ProcessTree.SignalAsync("KILL", tree);
        for (var i = 0; i < 100 && tree.Any(ProcessTree.IsAlive); i++)
        {
            await Task.Delay(50);
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Stops the server (SIGTERM, then SIGKILL) and waits for the process to end.</summary>
    public async Task StopAsync()
    {
        if (_slot is not null)
        {
            await StopSharedAsync(_slot);
            return;
        }

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

    private async Task StopSharedAsync(SharedServers.Slot slot)
    {
        var pid = _sharedPid;
        _sharedPid = 0;
        slot.Forget();
        if (!IsSharedServer(pid))
        {
            return;
        }

        await ProcessTree.SignalAsync("TERM", [pid]);
        for (var i = 0; i < 200 && ProcessTree.IsAlive(pid); i++)
        {
            await Task.Delay(100);
        }

        if (ProcessTree.IsAlive(pid))
        {
            await KillTreeAsync(pid);
        }
    }

    public string Output
    {
        get
        {
            if (_slot is not null)
            {
                var log = ReadOrEmpty(_slot.LogPath);
                return log.Length > 64 * 1024 ? log[^(64 * 1024)..] : log;
            }

            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_slot is not null)
        {
            // Left running for the next test process; reset when it takes it over.
            SharedServers.Release(_slot);
            return;
        }

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
