using Hive.Mobile.Connectivity;
using Hive.Mobile.Tests.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hive.Mobile.Tests.Network;

/// <summary>
/// The handler that makes loopback behave like a phone's link for the demo and the benchmarks: what passes
/// arrives whole and is counted, what it drops never reaches the server, and a seed gives the same drops
/// every run. (Its delays are what the benchmarks measure; no test here times them.)
/// </summary>
public sealed class SimulatedNetworkHandlerTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private int _served;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app => app.MapGet("/bytes/{n:int}", (int n, HttpContext context) =>
        {
            Interlocked.Increment(ref _served);
            context.Response.Headers.ETag = "\"e1\"";
            return Results.Bytes(Enumerable.Range(0, n).Select(i => (byte)i).ToArray(), "application/x-test");
        }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task WhatPassesArrivesWholeWithItsHeadersAndIsCounted()
    {
        using var handler = new SimulatedNetworkHandler(TimeSpan.Zero, 1_000_000_000, failureRate: 0);
        using var http = new HttpClient(handler) { BaseAddress = _server.Address };

        using var first = await http.GetAsync("bytes/300");
        using var second = await http.GetAsync("bytes/5");

        Assert.Equal(Enumerable.Range(0, 300).Select(i => (byte)i), await first.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/x-test", first.Content.Headers.ContentType!.MediaType);
        Assert.Equal(300, first.Content.Headers.ContentLength);
        Assert.Equal("\"e1\"", first.Headers.ETag!.Tag);
        Assert.Equal((2L, 305L, 0L), (handler.Requests, handler.BytesReceived, handler.Dropped));
        Assert.Equal(2, _served);
    }

    [Fact]
    public async Task ADroppedRequestFailsLikeALostConnectionAndNeverReachesTheServer()
    {
        using var handler = new SimulatedNetworkHandler(TimeSpan.Zero, 1_000_000_000, failureRate: 1);
        using var http = new HttpClient(handler) { BaseAddress = _server.Address };

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("bytes/10"));
        }

        Assert.Equal((3L, 3L, 0L), (handler.Requests, handler.Dropped, handler.BytesReceived));
        Assert.Equal(0, _served);
    }

    [Fact]
    public async Task TheSameSeedDropsTheSameRequestsAndAnotherSeedOthers()
    {
        var first = await DropsAsync(seed: 7);
        var again = await DropsAsync(seed: 7);
        var other = await DropsAsync(seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count, 10, 50);
    }

    [Fact]
    public void ALinkNeedsABandwidthAndAFailureRateOfZeroOrMore()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedNetworkHandler(TimeSpan.Zero, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedNetworkHandler(TimeSpan.Zero, 1000, -0.1));
    }

    /// <summary>Which of 120 requests a link losing a quarter of them drops.</summary>
    private async Task<List<int>> DropsAsync(int seed)
    {
        using var handler = new SimulatedNetworkHandler(TimeSpan.Zero, 1_000_000_000, failureRate: 0.25, seed);
        using var http = new HttpClient(handler) { BaseAddress = _server.Address };
        var dropped = new List<int>();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                using var response = await http.GetAsync("bytes/1");
            }
            catch (HttpRequestException)
            {
                dropped.Add(i);
            }
        }

        Assert.Equal(dropped.Count, handler.Dropped);
        return dropped;
    }
}
