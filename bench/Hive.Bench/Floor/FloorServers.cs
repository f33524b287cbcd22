using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Hive.Bench.Floor;

/// <summary>
/// The transport floor a cached GET is measured against, in the same run: a bare Kestrel app that
/// answers the same bytes with the same headers as the service (nothing else: no middleware, no
/// telemetry, no logging), and a bare YARP relay in front of it (one catch-all route, no service
/// discovery, no limiter). Hive's paths cannot beat these; the ratios to them say what Hive adds.
/// This pair runs inside the bench process (<see cref="FloorProcess"/> runs each in a process of its own).
/// </summary>
internal sealed class FloorServers : IAsyncDisposable
{
    private readonly WebApplication _kestrel;
    private readonly WebApplication _relay;

    private FloorServers(WebApplication kestrel, WebApplication relay, Uri kestrelAddress, Uri relayAddress)
    {
        _kestrel = kestrel;
        _relay = relay;
        Kestrel = kestrelAddress;
        Relay = relayAddress;
    }

    /// <summary>The bare Kestrel app's base address.</summary>
    public Uri Kestrel { get; }

    /// <summary>The bare YARP relay's base address (forwards every path to <see cref="Kestrel"/>).</summary>
    public Uri Relay { get; }

    /// <summary>Starts both on free loopback ports; every path answers <paramref name="body"/>.</summary>
    public static async Task<FloorServers> StartAsync(byte[] body, string etag, string cacheControl, CancellationToken cancellationToken)
    {
        var kestrel = BareKestrel(body, etag, cacheControl);
        var kestrelAddress = await StartAsync(kestrel, cancellationToken);
        var relay = BareRelay(kestrelAddress);
        return new FloorServers(kestrel, relay, kestrelAddress, await StartAsync(relay, cancellationToken));
    }

    /// <summary>A bare Kestrel app on a free loopback port whose every path answers <paramref name="body"/> with the service's headers.</summary>
    public static WebApplication BareKestrel(byte[] body, string etag, string cacheControl)
    {
        var app = Bare().Build();
        app.Run(context =>
        {
            var response = context.Response;
            response.Headers.ETag = etag;
            response.Headers.CacheControl = cacheControl;
            response.Headers.Vary = "Accept-Encoding";
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        });
        return app;
    }

    /// <summary>A bare YARP relay on a free loopback port: one catch-all route to <paramref name="backend"/>, nothing else.</summary>
    public static WebApplication BareRelay(Uri backend)
    {
        var builder = Bare();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "floor", Match = new RouteMatch { Path = "/{**rest}" } }],
            [new ClusterConfig { ClusterId = "floor", Destinations = new Dictionary<string, DestinationConfig> { ["kestrel"] = new() { Address = backend.ToString() } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        return app;
    }

    /// <summary>Starts <paramref name="app"/> and returns the address it listens on.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        return new Uri(app.Urls.First());
    }

    private static WebApplicationBuilder Bare()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder;
    }

    public async ValueTask DisposeAsync()
    {
        await _relay.StopAsync();
        await _kestrel.StopAsync();
        await _relay.DisposeAsync();
        await _kestrel.DisposeAsync();
    }
}
