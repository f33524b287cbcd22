using System.Diagnostics;

namespace Hive.Bench.Http;

/// <summary>
/// The load generator of <c>hotpath</c>, <c>coldwarm</c> and <c>http</c> completes its sockets on the socket thread, as the gateway
/// and catalog do (the AppHost's <c>WithInlineSocketCompletions</c>): a response is read and the next request sent
/// without waking a pool thread. The generator shares the two cores with what it measures, and with the hand-off it
/// spent 63 µs of CPU and 4.7 thread switches per gateway request against 27 µs and 1.8 per relayed one (bench/RESULTS.md,
/// 2026-11-28 evening): a slower path was charged for a busier generator. The runtime reads the setting from the
/// environment once, at start, so the bench starts itself again with it; <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c>
/// on the command keeps the hand-off. <see cref="Fleet.BenchFleet"/> keeps the setting from reaching services it is not meant for.
/// </summary>
internal static class InlineGenerator
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The exit code of the bench started again with the setting, or null when this process is to do the work.</summary>
    public static int? Relaunch(string[] args)
    {
        if (args is not ["hotpath" or "coldwarm" or "http", ..] || Environment.GetEnvironmentVariable(Variable) is not null)
        {
            return null;
        }

        var start = BenchProcess.StartInfo(args);
        start.Environment[Variable] = "1";
        // Ctrl+C reaches both processes; this one waits for the other to stop its fleet and exit.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var bench = Process.Start(start) ?? throw new InvalidOperationException("The bench did not start again.");
        bench.WaitForExit();
        return bench.ExitCode;
    }
}
