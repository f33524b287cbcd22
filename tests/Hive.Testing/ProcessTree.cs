using System.Diagnostics;
using System.Globalization;

namespace Hive.Testing;

/// <summary>Processes read from /proc: their command lines and who descends from whom.</summary>
public static class ProcessTree
{
    public static IEnumerable<(int Pid, List<string> Arguments)> Processes()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            if (Arguments(pid) is { } arguments)
            {
                yield return (pid, arguments);
            }
        }
    }

    public static List<int> Descendants(int root)
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

    /// <summary>True while the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// True while the process exists and still runs <paramref name="script"/> (a file name): a pid recorded
    /// by another run may since have been given to an unrelated process, which must not be signalled.
    /// </summary>
    public static bool IsAliveRunning(int pid, string script)
    {
        return IsAlive(pid) && Arguments(pid) is { } arguments && arguments.Any(argument => Path.GetFileName(argument) == script);
    }

    /// <summary>A process's command line, split into its arguments; null when the process is gone or unreadable.</summary>
    public static List<string>? Arguments(int pid)
    {
        try
        {
            return [.. File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static async Task SignalAsync(string signal, IReadOnlyList<int> processes)
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

