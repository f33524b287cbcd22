namespace Hive.Mobile.Connectivity;

/// <summary>
/// For development and benchmarks: makes a fast link behave like a phone's. Each request waits half a round
/// trip before it is sent and half after the answer, the body is paced to the link's bandwidth, and a share
/// of requests fail as a dropped connection would (seeded, so runs are comparable). It counts what passed.
/// Put it under the SDK with <see cref="HiveClientOptions.InnerHandler"/>, or under a plain HttpClient.
/// </summary>
public sealed class SimulatedNetworkHandler : DelegatingHandler
{
    private readonly TimeSpan _roundTrip;
    private readonly int _bitsPerSecond;
    private readonly double _failureRate;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private long _requests;
    private long _bytes;
    private long _dropped;

    public SimulatedNetworkHandler(TimeSpan roundTrip, int bitsPerSecond, double failureRate, int seed = 7, HttpMessageHandler? inner = null)
        : base(inner ?? new SocketsHttpHandler())
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bitsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(failureRate);
        _roundTrip = roundTrip;
        _bitsPerSecond = bitsPerSecond;
        _failureRate = failureRate;
        // Spread nearby seeds apart: the seeded legacy generator gives similar first draws for 7, 8, 9...
        _random = new Random(unchecked((int)((uint)seed * 2654435761u)));
    }

    /// <summary>3G as the benchmark defines it: 300 ms round trip, 750 kbit/s, 2 % of requests failing.</summary>
    public static SimulatedNetworkHandler ThreeG(int seed = 7, HttpMessageHandler? inner = null) => new(TimeSpan.FromMilliseconds(300), 750_000, 0.02, seed, inner);

    /// <summary>2G: 650 ms round trip, 250 kbit/s, 5 % of requests failing.</summary>
    public static SimulatedNetworkHandler TwoG(int seed = 7, HttpMessageHandler? inner = null) => new(TimeSpan.FromMilliseconds(650), 250_000, 0.05, seed, inner);

    public long Requests => Interlocked.Read(ref _requests);

    public long BytesReceived => Interlocked.Read(ref _bytes);

    public long Dropped => Interlocked.Read(ref _dropped);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        bool fail;
        lock (_gate)
        {
            fail = _random.NextDouble() < _failureRate;
        }

        await Task.Delay(_roundTrip / 2, cancellationToken);
        if (fail)
        {
            Interlocked.Increment(ref _dropped);
            throw new HttpRequestException("Simulated dropped connection.");
        }

        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Interlocked.Add(ref _bytes, body.Length);
        await Task.Delay((_roundTrip / 2) + TimeSpan.FromSeconds(body.Length * 8.0 / _bitsPerSecond), cancellationToken);
        var content = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = content;
        return response;
    }
}
