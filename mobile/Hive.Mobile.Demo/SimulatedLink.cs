using Hive.Mobile.Connectivity;

namespace Hive.Mobile.Demo;

/// <summary>
/// A handler under the SDK that makes a fast loopback link behave like a phone's: a round trip of latency
/// before each answer and the body paced to the link's bandwidth; a share of requests fail as a dropped
/// connection would. Used by the demo's --network switch.
/// </summary>
internal sealed class SimulatedLink(TimeSpan roundTrip, int bitsPerSecond, double failureRate, int seed = 7) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    public static SimulatedLink? For(string network) => network switch
    {
        "3g" => new SimulatedLink(TimeSpan.FromMilliseconds(300), 750_000, 0.02),
        "2g" => new SimulatedLink(TimeSpan.FromMilliseconds(650), 250_000, 0.05),
        _ => null,
    };

    public static NetworkQuality QualityOf(string network) => network switch
    {
        "3g" => NetworkQuality.Moderate,
        "2g" => NetworkQuality.Poor,
        "offline" => NetworkQuality.Offline,
        _ => NetworkQuality.Good,
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        bool fail;
        lock (_gate)
        {
            fail = _random.NextDouble() < failureRate;
        }

        await Task.Delay(roundTrip / 2, cancellationToken);
        if (fail)
        {
            throw new HttpRequestException("Simulated dropped connection.");
        }

        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        await Task.Delay(roundTrip / 2 + TimeSpan.FromSeconds(body.Length * 8.0 / bitsPerSecond), cancellationToken);
        var content = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = content;
        return response;
    }
}
