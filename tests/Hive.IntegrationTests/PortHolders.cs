using System.Globalization;
using System.Text.RegularExpressions;
using Hive.Testing;

namespace Hive.IntegrationTests;

/// <summary>
/// Names the processes listening on a loopback port, from <c>/proc</c> (Linux): the harness writes it down
/// when an instance finds its port taken, so the next look at a log says who took it.
/// </summary>
internal static partial class PortHolders
{
    /// <summary>Describes who listens on the port named in <paramref name="line"/> (for example "http://127.0.0.1:22646").</summary>
    public static string Describe(string line)
    {
        var match = Address().Match(line);
        if (!match.Success)
        {
            return "the line names no port";
        }

        var port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
        try
        {
            var sockets = ListeningSockets(port);
            if (sockets.Count == 0)
            {
                return $"nothing listens on {port} now";
            }

            var holders = ProcessTree.Processes()
                .Where(process => HoldsAny(process.Pid, sockets))
                .Select(process => $"{process.Pid} ({CommandLine(process.Arguments)})")
                .ToList();
            return holders.Count == 0
                ? $"{port} is held by a socket of no process this user can see"
                : $"{port} is held by " + string.Join(", ", holders);
        }
        catch (IOException exception)
        {
            return $"could not read /proc: {exception.Message}";
        }
    }

    // Socket inodes listening (state 0A) on the port, from /proc/net/tcp and tcp6: "sl local rem st ... inode".
    private static HashSet<string> ListeningSockets(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        var hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var fields in File.ReadLines(table).Skip(1).Select(row => row.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            {
                if (fields.Length > 9 && fields[1].EndsWith(hexPort, StringComparison.Ordinal) && fields[3] == "0A")
                {
                    inodes.Add(fields[9]);
                }
            }
        }

        return inodes;
    }

    private static bool HoldsAny(int pid, HashSet<string> inodes)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
                .Select(fd => new FileInfo(fd).LinkTarget)
                .Any(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string CommandLine(List<string> arguments)
    {
        var text = string.Join(' ', arguments);
        return text.Length > 160 ? text[..160] + "…" : text;
    }

    [GeneratedRegex(@"(?:127\.0\.0\.1|localhost|\[::1\]):(?<port>\d{1,5})", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
