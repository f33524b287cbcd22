using System.Globalization;

namespace Hive.Bench.Http;

internal static class Report
{
    /// <param name="openLoop">Whether <paramref name="results"/> came from <see cref="OpenLoopRunner"/> (its rate and time were printed before).</param>
    public static void Print(IReadOnlyList<LoadResult> results, LoadOptions options, TextWriter writer, bool openLoop = false)
    {
        var c = CultureInfo.InvariantCulture;
        if (!openLoop)
        {
            writer.WriteLine(string.Create(c, $"concurrency {options.Concurrency}, up to {options.Requests} requests per scenario or {options.Duration.TotalSeconds:0} s for all together, {options.Warmup} warm-up"));
        }

        writer.WriteLine(string.Create(c, $"{"scenario",-28} {"requests",9} {"errors",7} {"req/s",9} {"mean ms",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}"));
        foreach (var r in results)
        {
            writer.WriteLine(string.Create(c, $"{r.Name,-28} {r.Ok + r.Errors,9} {r.Errors,7} {r.Throughput,9:0} {r.Mean,8:0.000} {r.Percentile(50),8:0.000} {r.Percentile(95),8:0.000} {r.Percentile(99),8:0.000} {r.Percentile(100),8:0.000}"));
        }

        for (var i = 1; i < results.Count; i++)
        {
            var a = results[0];
            var b = results[i];
            writer.WriteLine(string.Create(c, $"ratio {b.Name} / {a.Name}: p50 {b.Percentile(50) / a.Percentile(50):0.00}x, p99 {b.Percentile(99) / a.Percentile(99):0.00}x, throughput {b.Throughput / a.Throughput:0.00}x"));
        }

        PrintCpu(results, writer);
    }

    /// <summary>CPU microseconds per request by process group (when measured): what each part of the path costs.</summary>
    private static void PrintCpu(IReadOnlyList<LoadResult> results, TextWriter writer)
    {
        if (results.All(r => r.CpuSeconds.Count == 0))
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        writer.WriteLine("CPU per request (us, user + system, from /proc; a floor 'in bench' runs inside the load generator):");
        foreach (var r in results)
        {
            var perRequest = r.CpuMicrosPerRequest();
            writer.WriteLine(string.Create(c, $"  {r.Name,-26} total {perRequest.Values.Sum(),7:0}: {Cpu.CpuLedger.Describe(perRequest, micros => micros, "0")}"));
        }

        writer.WriteLine("Thread switches per request (a thread put to sleep or preempted, all threads of each process, from /proc):");
        foreach (var r in results)
        {
            var perRequest = r.SwitchesPerRequest();
            var shown = perRequest.Where(pair => pair.Value >= 0.05);
            writer.WriteLine(string.Create(c, $"  {r.Name,-26} total {perRequest.Values.Sum(),7:0.0}: {Cpu.CpuLedger.Describe(shown, switches => switches, "0.0")}"));
        }
    }
}
