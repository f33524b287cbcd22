using System.Collections.Concurrent;
using Hive.Mobile.Auth;
using Hive.Mobile.Caching;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Http;
using Hive.Mobile.Tests.Auth;
using Hive.Mobile.Tests.Fleet;
using Hive.Mobile.Tests.Http;
using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Hive.Mobile.Tests.Caching;

/// <summary>
/// How reads use the two cache levels: screens asking at once share one request, a new run starts from disk,
/// watching shows the cached answer then the server's when it differs, a 304 renews the stored answer for
/// the next run too, and one buyer's private answers are never another's. The server is a loopback one whose
/// products carry ETags; time is a fake clock.
/// </summary>
public sealed class ReadRuleTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _data = MobileClients.NewDataDirectory();
    private readonly ManualNetworkMonitor _network = new(NetworkQuality.Good);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-27T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ConcurrentDictionary<long, int> _prices = new();
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private volatile TaskCompletionSource _gate = Open();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/api/catalog/products/{id:long}", async (long id, HttpContext context) =>
            {
                _hits.AddOrUpdate($"product-{id}", 1, (_, n) => n + 1);
                await _gate.Task.WaitAsync(context.RequestAborted);
                if (!_prices.TryGetValue(id, out var price))
                {
                    return Results.Problem("No such product.", statusCode: 404);
                }

                if (price < 0)
                {
                    return Results.Problem("Try again.", statusCode: 503);
                }

                var etag = $"\"v{price}\"";
                context.Response.Headers.ETag = etag;
                return context.Request.Headers.IfNoneMatch.ToString() == etag
                    ? Results.StatusCode(304)
                    : Results.Text(WireAnswers.Product(id, price), "application/json");
            });
            app.MapGet("/api/catalog/orders", (HttpContext context) =>
            {
                var buyer = context.Request.Headers.Authorization.ToString()["Bearer token-".Length..];
                _hits.AddOrUpdate($"orders-{buyer}", 1, (_, n) => n + 1);
                return Results.Text($$"""{"items":[{"id":{{(buyer == "a" ? 1 : 2)}},"businessId":1,"status":"pending","total":10,"currency":"KES","createdAt":"2026-01-01T00:00:00Z","lines":[]}],"nextCursor":null}""", "application/json");
            });
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task ScreensAskingForTheSameProductAtOnceShareOneRequestAndLaterOnesReadMemory()
    {
        _prices[1] = 100;
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = Client();

        var screens = Enumerable.Range(0, 20).Select(_ => client.Catalog.ProductAsync(1)).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(Hits("product-1") == 1 && client.Statistics.SharedReads == 19), Deadline, "nineteen reads joined the first");
        _gate.SetResult();
        var answers = await Task.WhenAll(screens);
        var later = await client.Catalog.ProductAsync(1);

        Assert.All(answers, a => Assert.Equal((100m, FetchSource.Network), (a.Value.Price, a.Source)));
        Assert.Equal(FetchSource.Memory, later.Source);
        Assert.Equal((1, 19, 1, 0), (Hits("product-1"), client.Statistics.SharedReads, client.Statistics.MemoryHits, client.Statistics.DiskHits));
    }

    [Fact]
    public async Task ANewRunStartsFromDiskAndThenReadsMemory()
    {
        _prices[2] = 100;
        await using (var first = Client())
        {
            await first.Catalog.ProductAsync(2);
        }

        await using var next = Client();
        var fromDisk = await next.Catalog.ProductAsync(2);
        var fromMemory = await next.Catalog.ProductAsync(2);

        Assert.Equal((FetchSource.Disk, FetchSource.Memory), (fromDisk.Source, fromMemory.Source));
        Assert.Equal((1L, 1L), (next.Statistics.DiskHits, next.Statistics.MemoryHits));
        Assert.Equal(1, Hits("product-2"));
    }

    [Fact]
    public async Task WatchingAFreshAnswerShowsItOnceAndPullToRefreshShowsTheServersWhenItChanged()
    {
        await using var client = await ClientThatReadAsync(3);

        var fresh = await WatchAsync(client, 3, ReadMode.CacheFirst);
        _prices[3] = 120;
        var refreshed = await WatchAsync(client, 3, ReadMode.Revalidate);
        var unchanged = await WatchAsync(client, 3, ReadMode.Revalidate);

        Assert.Equal([(100m, FetchSource.Memory)], fresh);
        Assert.Equal([(100m, FetchSource.Memory), (120m, FetchSource.Network)], refreshed);
        Assert.Equal([(120m, FetchSource.Memory)], unchanged);
        Assert.Equal(3, Hits("product-3"));
        Assert.Equal(1, client.Statistics.NotModified);
    }

    [Fact]
    public async Task WatchingAStaleAnswerOfflineOrWhileTheServerFailsShowsTheCachedOneAlone()
    {
        await using var client = await ClientThatReadAsync(4);
        _clock.Advance(TimeSpan.FromMinutes(5));

        _network.Quality = NetworkQuality.Offline;
        var offline = await WatchAsync(client, 4, ReadMode.Revalidate);
        _network.Quality = NetworkQuality.Good;
        _prices[4] = -1;
        var failing = await WatchAsync(client, 4, ReadMode.CacheFirst);

        Assert.Equal([(100m, FetchSource.Memory)], offline);
        Assert.Equal([(100m, FetchSource.Memory)], failing);
        Assert.Equal(2, Hits("product-4"));
    }

    [Fact]
    public async Task WatchingAProductTheServerNoLongerHasEndsWithTheRefusalAfterTheCachedAnswer()
    {
        await using var client = await ClientThatReadAsync(5);
        _prices.TryRemove(5, out _);

        await using var watch = client.Catalog.WatchProductAsync(5, ReadMode.Revalidate).GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(100m, watch.Current.Value.Price);
        var gone = await Assert.ThrowsAsync<HiveApiException>(async () => await watch.MoveNextAsync());

        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task AStaleAnswerIsServedWhileTheBackgroundRefreshFailsAndA304RenewsItForTheNextRunToo()
    {
        _prices[6] = 100;
        await using (var client = Client())
        {
            await client.Catalog.ProductAsync(6);
            _clock.Advance(TimeSpan.FromMinutes(2));
            _prices[6] = -1;
            var stale = await client.Catalog.ProductAsync(6);
            Assert.True(stale.IsStale);
            await Eventually.TrueAsync(() => Task.FromResult(Hits("product-6") == 2), Deadline, "the background refresh was tried");

            // Read until a background refresh confirms it: a read that comes while the failed refresh is still
            // finishing joins that one instead of starting its own.
            _prices[6] = 100;
            await Eventually.TrueAsync(
                async () =>
                {
                    await client.Catalog.ProductAsync(6);
                    await Task.Delay(20);
                    return client.Statistics.NotModified >= 1;
                },
                Deadline,
                "the server confirmed the stored answer");
        }

        await using var next = Client();
        var renewed = await next.Catalog.ProductAsync(6);

        Assert.Equal((FetchSource.Disk, false), (renewed.Source, renewed.IsStale));
        Assert.Equal(_clock.GetUtcNow(), renewed.ValidatedAt);
    }

    [Fact]
    public async Task OneBuyersPrivateAnswersAreNeverAnothersAndForgettingABuyerEmptiesBothLevels()
    {
        await using var client = Client();
        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));
        var ofA = await client.Orders.MineAsync();
        client.UseAccessTokens(new FixedTokens("buyer-b", "token-b"));
        var ofB = await client.Orders.MineAsync();

        Assert.Equal((1L, 2L), (Assert.Single(ofA.Value.Items).Id, Assert.Single(ofB.Value.Items).Id));
        Assert.Equal(FetchSource.Network, ofB.Source);

        await client.ForgetUserAsync("buyer-b");
        Assert.Equal(1, client.MemoryCacheSize.Count);
        Assert.Equal(1, (await client.DiskCacheSizeAsync()).Count);
        Assert.Equal(FetchSource.Network, (await client.Orders.MineAsync()).Source);
        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));
        Assert.Equal(FetchSource.Memory, (await client.Orders.MineAsync()).Source);
        Assert.Equal((1, 2), (Hits("orders-a"), Hits("orders-b")));
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private static async Task<List<(decimal Price, FetchSource Source)>> WatchAsync(HiveClient client, long id, ReadMode mode)
    {
        var seen = new List<(decimal, FetchSource)>();
        await foreach (var answer in client.Catalog.WatchProductAsync(id, mode).WithCancellation(new CancellationTokenSource(Deadline).Token))
        {
            seen.Add((answer.Value.Price, answer.Source));
        }

        return seen;
    }

    /// <summary>A client that has read product <paramref name="id"/> (price 100) once, so its answer is cached.</summary>
    private async Task<HiveClient> ClientThatReadAsync(long id)
    {
        _prices[id] = 100;
        var client = Client();
        await client.Catalog.ProductAsync(id);
        return client;
    }

    private HiveClient Client() => MobileClients.Create(_server.Address, _data, _network, o =>
    {
        o.TimeProvider = _clock;
        o.MaxRetries = 0;
    });

    private int Hits(string key) => _hits.GetValueOrDefault(key);
}
