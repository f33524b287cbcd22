using System.Diagnostics;
using System.Globalization;
using Hive.Bench.Cpu;

namespace Hive.Bench.Http;

/// <summary>
/// Sends the scenarios' traffic in unmeasured rounds until the JIT has stopped promoting methods (the tiered
/// compilation threads of every .NET process used under 1 % of a core in a round), within a number of rounds
/// and a time. A deployed service finished compiling its hot code long ago; a measurement that still pays for
/// it (in a fresh bench fleet, 50-75 % of a core for the first 10 s of load) compares start-up, not requests.
/// </summary>
internal static class Settling
{
    public static async Task RunAsync(
        HttpClient client, IReadOnlyList<HttpScenario> scenarios, LoadOptions round, int maxRounds, TimeSpan maxTime, TextWriter output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= maxRounds && clock.Elapsed < maxTime; i++)
        {
            var before = CpuLedger.CompilingThreads();
            var wall = Stopwatch.StartNew();
            await LoadRunner.RunAsync(client, scenarios, round, cancellationToken);
            var share = CpuLedger.CompilingSince(before, CpuLedger.CompilingThreads()) / wall.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"settling, round {i}: tiered compilation used {100 * share:0.0} % of a core over {wall.Elapsed.TotalSeconds:0.0} s"));
            if (share < 0.01)
            {
                return;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"settling: the JIT was still compiling after {clock.Elapsed.TotalSeconds:0} s; measuring anyway"));
    }
}
