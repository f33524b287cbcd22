using System.Globalization;

namespace Hive.Bench.Cpu;

/// <summary>
/// CPU time the machine's processes used, grouped by what they are (catalog, gateway, Redis, the load
/// generator...), read from <c>/proc/&lt;pid&gt;/stat</c> (user + system time). Taken around each round of
/// a scenario, the differences say what one request cost each part of the fleet in CPU, which a wall-clock
/// latency on a shared two-core machine cannot: a process that waits for the CPU looks slow but costs nothing.
/// </summary>
internal sealed class CpuLedger
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly int _self = Environment.ProcessId;
    private readonly (string Marker, string Group)[] _groups;

    public CpuLedger(IEnumerable<(string Marker, string Group)> groups) => _groups = [.. groups];

    /// <summary>The fleet's processes as the AppHost starts them (each project by its assembly name).</summary>
    public static CpuLedger ForFleet() => new(
    [
        ("Catalog.Api", "catalog"), ("Hive.Gateway", "gateway"), ("redis-server", "redis"),
        ("postgres", "postgres"), ("beam.smp", "rabbitmq"), ("Search.Api", "search"),
        ("Media.Api", "media"), ("Metrics.Api", "metrics"), ("Identity.Api", "identity"),
    ]);

    public static bool Available => File.Exists("/proc/stat");

    /// <summary>CPU seconds per group since boot; the load generator (this process) is "load generator", the rest by program name.</summary>
    public Dictionary<string, double> Snapshot()
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        ForEachProcess((group, process) => Add(seconds, group, CpuSecondsOf(process)));
        return seconds;
    }

    /// <summary>
    /// CPU seconds and thread switches per group, in one pass over the processes: a switch is a thread going to
    /// sleep (to be woken for the next piece of work) or being preempted, and on a loaded two-core machine the
    /// switching itself is a third of a service's CPU (perf: <c>finish_task_switch</c>), so the count says what a
    /// change of hand-offs saves whatever else the machine is doing.
    /// </summary>
    public Reading Read()
    {
        var reading = new Reading(new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        ForEachProcess((group, process) =>
        {
            Add(reading.CpuSeconds, group, CpuSecondsOf(process));
            Add(reading.Switches, group, ThreadSwitches(process));
        });
        return reading;
    }

    /// <summary>One reading of <see cref="Read"/>; <see cref="Since"/> is what happened between two.</summary>
    internal sealed record Reading(Dictionary<string, double> CpuSeconds, Dictionary<string, double> Switches)
    {
        public Reading Since(Reading before) => new(Difference(before.CpuSeconds, CpuSeconds), Difference(before.Switches, Switches));
    }

    /// <summary>Adds <paramref name="value"/> to the group's sum.</summary>
    internal static void Add(Dictionary<string, double> sums, string group, double value) => sums[group] = sums.GetValueOrDefault(group) + value;

    /// <summary>Each process's group and <c>/proc</c> folder; a process that ends while it is read is left out from there on.</summary>
    private void ForEachProcess(Action<string, string> measure)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                measure(pid == _self ? "load generator" : Classify(File.ReadAllText(Path.Combine(directory, "cmdline"))), directory);
            }
            catch (IOException)
            {
                // The process ended between listing and reading.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Voluntary and preempted switches of every thread of the process (a thread that ended is lost).</summary>
    private static double ThreadSwitches(string process)
    {
        double switches = 0;
        foreach (var task in Directory.EnumerateDirectories(Path.Combine(process, "task")))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return switches;
    }

    /// <summary>
    /// CPU seconds since boot of every .NET process's tiered-compilation thread (the JIT promoting hot methods),
    /// by thread: while they still work, the fleet is not yet running the code it runs once deployed for a while.
    /// </summary>
    public static Dictionary<string, double> CompilingThreads()
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var task in Directory.EnumerateDirectories("/proc").SelectMany(TasksOf))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                {
                    seconds[task] = CpuSecondsOf(task);
                }
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return seconds;

        static IEnumerable<string> TasksOf(string process)
        {
            try
            {
                return int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out _)
                    ? Directory.GetDirectories(Path.Combine(process, "task"))
                    : [];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return [];
            }
        }
    }

    /// <summary>What the threads still there used between two readings of <see cref="CompilingThreads"/> (the runtime ends an idle one).</summary>
    public static double CompilingSince(Dictionary<string, double> before, Dictionary<string, double> after) =>
        after.Sum(pair => Math.Max(0, pair.Value - before.GetValueOrDefault(pair.Key)));

    /// <summary>"group value, group value, ..." largest first, zeros left out, values scaled and rounded as given.</summary>
    public static string Describe(IEnumerable<KeyValuePair<string, double>> groups, Func<double, double> scale, string format) =>
        string.Join(", ", groups.Where(pair => pair.Value > 0).OrderByDescending(pair => pair.Value)
            .Select(pair => pair.Key + " " + scale(pair.Value).ToString(format, CultureInfo.InvariantCulture)));

    /// <summary>What the groups used between two snapshots (processes that ended in between are lost, not negative).</summary>
    public static Dictionary<string, double> Difference(Dictionary<string, double> before, Dictionary<string, double> after) =>
        after.ToDictionary(pair => pair.Key, pair => Math.Max(0, pair.Value - before.GetValueOrDefault(pair.Key)), StringComparer.Ordinal);

    /// <summary>
    /// By the program's name (argv[0], without its folder), a floor server by its kind: a test host that loads Hive.Gateway.Tests.dll
    /// is not the gateway. Redis and Postgres rename their processes ("redis-server *:6379", "postgres: ...").
    /// </summary>
    private string Classify(string commandLine)
    {
        if (FloorKind(commandLine) is { } floor)
        {
            return "floor " + floor;
        }

        var program = Path.GetFileName(commandLine.Split('\0', 2)[0].Split(' ', 2)[0].TrimEnd(':'));
        foreach (var (marker, group) in _groups)
        {
            if (program.Equals(marker, StringComparison.Ordinal))
            {
                return group == "postgres" ? PostgresGroup(commandLine) : group;
            }
        }

        return program.Length == 0 ? "kernel" : program;
    }

    private const string FloorMarker = "\0" + Floor.FloorProcess.Command + "\0";

    /// <summary>A floor server the bench started in its own process ("... floor-server --kind relay ..."): its kind, else null.</summary>
    private static string? FloorKind(string commandLine)
    {
        // Every process's command line is classified at every reading: split only the few that can match.
        if (!commandLine.Contains(FloorMarker, StringComparison.Ordinal))
        {
            return null;
        }

        var words = commandLine.Split('\0');
        var command = Array.IndexOf(words, Floor.FloorProcess.Command);
        return command >= 0 && command + 2 < words.Length && words[command + 1] == "--kind" ? words[command + 2] : null;
    }

    /// <summary>
    /// A Postgres backend names the role it serves ("postgres: hive_search hive 127.0.0.1(40312) idle"), so each
    /// service's queries are told apart; autovacuum apart too; the server's other processes are "postgres".
    /// </summary>
    private static string PostgresGroup(string commandLine)
    {
        var words = commandLine.Split([' ', '\0'], 3, StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 1 && (words[1].StartsWith("hive", StringComparison.Ordinal) || words[1].StartsWith("autovacuum", StringComparison.Ordinal))
            ? "postgres " + words[1]
            : "postgres";
    }

    /// <summary>utime + stime of a process or thread, from the <c>stat</c> file in its <c>/proc</c> folder.</summary>
    private static double CpuSecondsOf(string folder) => CpuSeconds(File.ReadAllText(Path.Combine(folder, "stat")));

    /// <summary>utime + stime (fields 14 and 15) from /proc/pid/stat; the name (field 2) may hold spaces, so count after its ')'.</summary>
    private static double CpuSeconds(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
