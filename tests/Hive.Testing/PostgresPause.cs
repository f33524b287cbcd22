using System.Diagnostics;
using System.Globalization;

namespace Hive.Testing;

/// <summary>
/// Freezes a running PostgreSQL (SIGSTOP on the postmaster and every backend) the way a hung disk or
/// host would: connections stay open, nothing answers. Disposing sends SIGCONT.
/// </summary>
public sealed class PostgresPause : IAsyncDisposable
{
    private readonly IReadOnlyList<int> _processes;
    private bool _resumed;

    private PostgresPause(IReadOnlyList<int> processes) => _processes = processes;

    /// <summary>The processes frozen: the postmaster listening on the port and all its descendants.</summary>
    public int ProcessCount => _processes.Count;

    public static async Task<PostgresPause> StartAsync(int port)
    {
        var postmaster = FindPostmaster(port) ?? throw new InvalidOperationException($"No postgres postmaster found listening on port {port}.");
        var processes = Descendants(postmaster).Prepend(postmaster).ToList();
        await SignalAsync("STOP", processes);
        return new PostgresPause(processes);
    }

    public async Task ResumeAsync()
    {
        if (_resumed)
        {
            return;
        }

        _resumed = true;
        // Backends forked while paused do not exist; resume whatever now descends from the postmaster too.
        await SignalAsync("CONT", _processes.Concat(Descendants(_processes[0])).Distinct().ToList());
    }

    public async ValueTask DisposeAsync() => await ResumeAsync();

    private static int? FindPostmaster(int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        foreach (var (pid, arguments) in Processes())
        {
            if (arguments.Count > 0 && Path.GetFileName(arguments[0]) == "postgres")
            {
                var index = arguments.IndexOf("-p");
                if (index >= 0 && index + 1 < arguments.Count && arguments[index + 1] == portText)
                {
                    return pid;
                }
            }
        }

        return null;
    }

    private static IEnumerable<(int Pid, List<string> Arguments)> Processes()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            yield return (pid, commandLine.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList());
        }
    }

    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var (pid, _) in Processes())
        {
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (child, _) in parents.Where(p => p.Value == parent))
            {
                result.Add(child);
                frontier.Enqueue(child);
            }
        }

        return result;
    }

    private static async Task SignalAsync(string signal, IReadOnlyList<int> processes)
    {
        var info = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-" + signal);
        foreach (var pid in processes)
        {
            info.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        }

        using var kill = Process.Start(info)!;
        await kill.WaitForExitAsync();
    }
}
