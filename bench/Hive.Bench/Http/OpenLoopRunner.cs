using System.Diagnostics;
using System.Globalization;

namespace Hive.Bench.Http;

/// <summary>
/// Open-loop load: requests leave at a fixed rate whatever the server does, and each latency counts from
/// the moment the request was due to leave, not from when it left. A closed loop (a fixed number of
/// workers) slows down with the server and hides the wait of the requests that could not be sent
/// (coordinated omission); this does not. Scenarios alternate in short rounds, as in <see cref="LoadRunner"/>.
/// </summary>
internal static class OpenLoopRunner
{
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(1);

    // More in flight than this means the server is far behind the rate: stop sending rather than pile up sockets.
    private const int MaxInFlight = 2_048;

    public static async Task<IReadOnlyList<LoadResult>> RunAsync(
        HttpClient client, IReadOnlyList<HttpScenario> scenarios, int ratePerSecond, TimeSpan duration, TimeSpan warmup, CancellationToken cancellationToken, Cpu.CpuLedger? cpu = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (ratePerSecond is < 1 or > 100_000)
        {
            throw new ArgumentException("--rate must be between 1 and 100,000 requests per second.");
        }

        foreach (var scenario in scenarios)
        {
            await DriveAsync(client, scenario, ratePerSecond, warmup, new LoadResult(scenario.Name), cancellationToken);
        }

        var results = scenarios.Select(s => new LoadResult(s.Name)).ToArray();
        using var progress = Progress.Start(
            string.Create(CultureInfo.InvariantCulture, $"open loop at {ratePerSecond}/s, {string.Join(" / ", scenarios.Select(s => s.Name))}"),
            () => results.Sum(r => r.Ok + r.Errors));
        var rounds = Math.Max(1, (int)Math.Ceiling(duration / Round));
        var cpuMark = cpu?.Read();
        for (var r = 0; r < rounds && !cancellationToken.IsCancellationRequested; r++)
        {
            for (var i = 0; i < scenarios.Count; i++)
            {
                var round = Stopwatch.StartNew();
                await DriveAsync(client, scenarios[i], ratePerSecond, Round, results[i], cancellationToken);
                results[i].Elapsed += round.Elapsed;
                if (cpu is not null)
                {
                    var now = cpu.Read();
                    results[i].AddCpu(now.Since(cpuMark!));
                    cpuMark = now;
                }
            }
        }

        return results;
    }

    private static async Task DriveAsync(HttpClient client, HttpScenario scenario, int ratePerSecond, TimeSpan span, LoadResult result, CancellationToken cancellationToken)
    {
        var total = (long)(span.TotalSeconds * ratePerSecond);
        var interval = Stopwatch.Frequency / (double)ratePerSecond;
        var inFlight = new List<Task>(capacity: (int)Math.Min(total, 100_000));
        var pending = 0;

        // The sends leave from a thread of their own that sleeps between them (see Pacer), never spins.
        await Task.Factory.StartNew(
            () =>
            {
                var start = Stopwatch.GetTimestamp();
                for (long n = 0; n < total && !cancellationToken.IsCancellationRequested; n++)
                {
                    var due = start + (long)(n * interval);
                    Pacer.SleepUntil(due);
                    result.RecordSendLag(Stopwatch.GetElapsedTime(due));
                    if (Volatile.Read(ref pending) >= MaxInFlight)
                    {
                        // Counted as failed at the latency it would at least have had: the server could not keep up.
                        result.Record(Stopwatch.GetElapsedTime(due), success: false);
                        continue;
                    }

                    Interlocked.Increment(ref pending);
                    inFlight.Add(SendAsync(client, scenario.Next(), due, result, () => Interlocked.Decrement(ref pending), cancellationToken));
                }
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        await Task.WhenAll(inFlight);
    }

    private static async Task SendAsync(HttpClient client, Uri url, long due, LoadResult result, Action done, CancellationToken cancellationToken)
    {
        bool success;
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken);
            success = response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.NotModified;
        }
        catch (HttpRequestException)
        {
            success = false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            success = false;
        }
        finally
        {
            done();
        }

        // From the intended send time: a request that had to wait for a free moment carries that wait.
        result.Record(Stopwatch.GetElapsedTime(due), success);
    }
}
