using System.Diagnostics;

namespace Hive.Bench;

/// <summary>Starting this bench again as another process (a floor server, or the bench itself with other runtime settings).</summary>
internal static class BenchProcess
{
    /// <summary>How to start the bench's own executable with <paramref name="arguments"/> (through <c>dotnet</c> when it runs as <c>dotnet Hive.Bench.dll</c>).</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The bench cannot find its own executable.");
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
