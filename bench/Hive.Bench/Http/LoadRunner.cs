using System.Diagnostics;

namespace Hive.Bench.Http;

/// <summary>
/// Drives GETs with a fixed number of workers. Two scenarios run side by side in one run by alternating
/// short rounds, so both see the same machine state (the other core's load, GC, caches) and their ratio
/// is fair.
/// </summary>
internal static class LoadRunner
{
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(500);

    public static async Task<IReadOnlyList<LoadResult>> RunAsync(
        HttpClient client, IReadOnlyList<HttpScenario> scenarios, LoadOptions options, CancellationToken cancellationToken, Cpu.CpuLedger? cpu = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options.Validate();

        foreach (var scenario in scenarios)
        {
            var discard = new LoadResult(scenario.Name);
            await DriveAsync(client, scenario, options.Concurrency, options.Warmup, TimeSpan.FromSeconds(30), discard, cancellationToken);
            if (discard.Ok == 0)
            {
                throw new InvalidOperationException($"{scenario.Name}: no successful response during warm-up from {scenario.First}.");
            }
        }

        var results = scenarios.Select(s => new LoadResult(s.Name)).ToArray();
        using var progress = Progress.Start(
            $"closed loop, {string.Join(" / ", scenarios.Select(s => s.Name))}", () => results.Sum(r => r.Ok + r.Errors));
        var total = Stopwatch.StartNew();
        var sent = new long[scenarios.Count];
        var perRound = Math.Max(options.Concurrency, options.Requests / 20);
        // One reading per round boundary: the end of one round is the start of the next.
        var cpuMark = cpu?.Read();
        while (total.Elapsed < options.Duration && sent.Any(n => n < options.Requests))
        {
            for (var i = 0; i < scenarios.Count; i++)
            {
                var count = (int)Math.Min(perRound, options.Requests - sent[i]);
                if (count <= 0)
                {
                    continue;
                }

                var round = Stopwatch.StartNew();
                var before = results[i].Ok + results[i].Errors;
                await DriveAsync(client, scenarios[i], options.Concurrency, count, Round, results[i], cancellationToken);
                results[i].Elapsed += round.Elapsed;
                if (cpu is not null)
                {
                    var now = cpu.Read();
                    results[i].AddCpu(now.Since(cpuMark!));
                    cpuMark = now;
                }
                sent[i] += results[i].Ok + results[i].Errors - before;
            }
        }

        return results;
    }

    private static async Task DriveAsync(
        HttpClient client, HttpScenario scenario, int concurrency, int count, TimeSpan cap, LoadResult result, CancellationToken cancellationToken)
    {
        var remaining = count;
        var deadline = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0 && deadline.Elapsed < cap && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                bool success;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, scenario.Next());
                    if (scenario.BearerToken is { } token)
                    {
                        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                    }

                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                    success = response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.NotModified;
                }
                catch (HttpRequestException)
                {
                    success = false;
                }

                result.Record(Stopwatch.GetElapsedTime(started), success);
            }
        });
        await Task.WhenAll(workers);
    }
}
