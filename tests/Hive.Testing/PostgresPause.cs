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
        var processes = ProcessTree.Descendants(postmaster).Prepend(postmaster).ToList();
        await ProcessTree.SignalAsync("STOP", processes);
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
        await ProcessTree.SignalAsync("CONT", _processes.Concat(ProcessTree.Descendants(_processes[0])).Distinct().ToList());
    }

    public async ValueTask DisposeAsync() => await ResumeAsync();

    private static int? FindPostmaster(int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        foreach (var (pid, arguments) in ProcessTree.Processes())
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
}
