namespace Hive.Bench.Http;

/// <summary>Bounds of a run: traffic stops at whichever of the request count or the duration comes first.</summary>
/// <param name="Concurrency">Requests in flight at once.</param>
/// <param name="Requests">Measured requests per scenario (after warm-up).</param>
/// <param name="Duration">Wall-clock cap for the measured part of the run.</param>
/// <param name="Warmup">Requests per scenario sent first and not measured (JIT, pools, caches).</param>
internal sealed record LoadOptions(int Concurrency, int Requests, TimeSpan Duration, int Warmup)
{
    public static readonly LoadOptions Default = new(Concurrency: 8, Requests: 5_000, Duration: TimeSpan.FromSeconds(30), Warmup: 200);

    public void Validate()
    {
        if (Concurrency is < 1 or > 256)
        {
            throw new ArgumentException("--concurrency must be between 1 and 256.");
        }

        if (Requests is < 1 or > 1_000_000)
        {
            throw new ArgumentException("--requests must be between 1 and 1,000,000.");
        }

        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException("--duration must be between 1 s and 600 s.");
        }
    }
}
