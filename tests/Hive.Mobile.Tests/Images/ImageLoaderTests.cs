using System.Collections.Concurrent;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Images;
using Hive.Mobile.Models;
using Hive.Mobile.Tests.Auth;
using Hive.Mobile.Tests.Fleet;
using Hive.Mobile.Tests.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hive.Mobile.Tests.Images;

/// <summary>Progressive images against a loopback media server with the variants contract of issue 11.</summary>
public sealed class ImageLoaderTests : IAsyncLifetime
{
    private const string FlowerThumbHash = "k0oGLQaSVsN0BVhn2oq2Z5SQUQcZ";
    private readonly string _data = MobileClients.NewDataDirectory();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _accepts = new();
    private readonly ConcurrentQueue<string> _formats = new();
    private readonly ConcurrentQueue<string> _authorizations = new();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/api/media/images/{id:long}/variants", (long id, HttpContext context) =>
            {
                _requests.Enqueue(context.Request.Path);
                // Media's VariantSet, field for field (services/Media.Api/Delivery/VariantSets.cs).
                return Results.Json(new
                {
                    imageId = id,
                    productId = 1,
                    version = 1,
                    width = 800,
                    height = 800,
                    placeholder = new { thumbHash = FlowerThumbHash, blurHash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj", dataUrl = "data:image/jpeg;base64,/9j/" },
                    variants = new[] { ("thumbnail", 150), ("small", 320), ("medium", 640), ("large", 1024), ("full", 1920) }.Select(v => new
                    {
                        name = v.Item1,
                        width = v.Item2,
                        height = v.Item2,
                        url = $"/api/media/images/{id}?w={v.Item2}",
                        formats = new[] { "avif", "webp", "jpeg" }.Select(f => new { format = f, url = $"/api/media/images/{id}?w={v.Item2}&format={f}", bytes = (long?)null }),
                    }),
                });
            });
            app.MapGet("/api/media/images/{id:long}", (long id, int w, string? format, HttpContext context) =>
            {
                _requests.Enqueue($"{context.Request.Path}?w={w}");
                _accepts.Enqueue(context.Request.Headers.Accept.ToString());
                _authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
                _formats.Enqueue(format ?? "negotiated");
                return Results.Bytes(new byte[w * 10], format is null ? "image/webp" : $"image/{format}");
            });
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task AnImageArrivesAsPlaceholderThenSmallThenTheVariantForTheBox()
    {
        await using var client = Client(NetworkQuality.Good);

        var frames = await LoadAsync(client, Image(7), 160, 160);

        var blurred = Assert.IsType<ImageFrame.Blurred>(frames[0]);
        Assert.Equal((23, 32), (blurred.Bitmap.Width, blurred.Bitmap.Height));
        var small = Assert.IsType<ImageFrame.Encoded>(frames[1]);
        Assert.Equal((150, false), (small.Width, small.IsFinal));
        var target = Assert.IsType<ImageFrame.Encoded>(frames[2]);
        Assert.Equal((320, true, "image/avif"), (target.Width, target.IsFinal, target.ContentType));
        Assert.Equal(3200, target.Bytes.Length);
        Assert.All(_formats, format => Assert.Equal("avif", format));
        Assert.All(_accepts, accept => Assert.Equal("image/avif, image/webp;q=0.9, image/jpeg;q=0.8", accept));
    }

    [Fact]
    public async Task APlatformWithoutAvifGetsTheBestFormatItDecodes()
    {
        await using var client = MobileClients.Create(_server.Address, _data, new ManualNetworkMonitor(NetworkQuality.Good), o => o.ImageFormats = ["image/webp", "image/jpeg"]);

        var frames = await LoadAsync(client, Image(10), 160, 160);

        Assert.Equal("image/webp", Assert.IsType<ImageFrame.Encoded>(frames[^1]).ContentType);
        Assert.Equal(["webp", "webp"], _formats);
    }

    [Fact]
    public async Task ASecondLoadComesFromDiskWithoutARequest()
    {
        await using (var first = Client(NetworkQuality.Good))
        {
            await LoadAsync(first, Image(8), 160, 160);
        }

        var before = _requests.Count;
        await using var second = Client(NetworkQuality.Good);
        var frames = await LoadAsync(second, Image(8), 160, 160);

        Assert.Equal(before, _requests.Count);
        Assert.IsType<ImageFrame.Blurred>(frames[0]);
        var target = Assert.IsType<ImageFrame.Encoded>(Assert.Single(frames.Skip(1)));
        Assert.True(target.FromCache && target.IsFinal);
    }

    [Fact]
    public async Task ASlowConnectionLoadsASmallerVariant()
    {
        await using var client = Client(NetworkQuality.Poor);
        var frames = await LoadAsync(client, Image(9), 140, 140);
        Assert.Equal(150, Assert.IsType<ImageFrame.Encoded>(frames[^1]).Width);
    }

    [Fact]
    public async Task ThumbnailsArePrefetchedOnlyOnAGoodConnection()
    {
        var network = new ManualNetworkMonitor(NetworkQuality.Moderate);
        await using var client = MobileClients.Create(_server.Address, _data, network);
        var nextPage = new[] { Image(20), Image(21), Image(22) };

        Assert.Equal(0, await client.Media.Images.PrefetchAsync(nextPage));
        Assert.Empty(_requests);

        network.Quality = NetworkQuality.Good;
        Assert.Equal(3, await client.Media.Images.PrefetchAsync(nextPage));
        Assert.Equal(3, _requests.Count(r => r.EndsWith("?w=150", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ANextPagesCardThumbnailsArePrefetchedOnAGoodConnectionAndThenDrawnFromDisk()
    {
        var network = new ManualNetworkMonitor(NetworkQuality.Poor);
        await using var client = MobileClients.Create(_server.Address, _data, network);
        var nextPage = new[] { Card(40), Card(41), Card(42) with { Image = null } };

        Assert.Equal(0, await client.Media.Images.PrefetchAsync(nextPage));
        network.Quality = NetworkQuality.Good;
        Assert.Equal(2, await client.Media.Images.PrefetchAsync(nextPage));
        var sent = _requests.Count;

        var frames = new List<ImageFrame>();
        await foreach (var frame in client.Media.Images.LoadAsync(nextPage[0].Image!))
        {
            frames.Add(frame);
        }

        Assert.Equal(sent, _requests.Count);
        Assert.IsType<ImageFrame.Blurred>(frames[0]);
        Assert.True(Assert.IsType<ImageFrame.Encoded>(frames[1]).FromCache);
    }

    [Theory]
    [InlineData("/api/media/images/812/small", 3, 812)]
    [InlineData("/api/media/images/77?v=2&w=320&h=320&fit=cover&sig=x", 3, 77)]
    [InlineData("https://cdn.example/hive/products/1/3.jpg", 3, 3)]
    [InlineData("/api/media/images/42", 3, 42)]
    [InlineData("/api/media/images/small", 3, 3)]
    [InlineData("/api/media/images/", 3, 3)]
    public void TheMediaIdOfAProductImageIsReadFromItsMediaUrl(string url, long rowId, long expected)
        => Assert.Equal(expected, ImageLoader.MediaImageId(new ProductImage(rowId, url, 1, null, null, "")));

    [Fact]
    public async Task AnImageIsFetchedWithoutTheBuyersTokenWhereverItsUrlPoints()
    {
        await using var client = Client(NetworkQuality.Good);
        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));

        await LoadAsync(client, Image(40), 160, 160);
        await foreach (var _ in client.Media.Images.LoadAsync(Card(41).Image!))
        {
        }

        Assert.True(_authorizations.Count >= 2);
        Assert.All(_authorizations, header => Assert.Equal(string.Empty, header));
    }

    [Fact]
    public async Task ImageBytesOnDiskStayWithinTheirBudget()
    {
        await using var client = Client(NetworkQuality.Good, budget: 8_000);
        for (var id = 30; id < 36; id++)
        {
            await LoadAsync(client, Image(id), 160, 160);
        }

        var files = Directory.GetFiles(Path.Combine(_data, "images"), "*.img");
        Assert.InRange(files.Sum(f => new FileInfo(f).Length), 1, 8_000);
    }

    private HiveClient Client(NetworkQuality quality, long budget = 64 * 1024 * 1024)
        => MobileClients.Create(_server.Address, _data, new ManualNetworkMonitor(quality), o => o.ImageBudgetBytes = budget);

    private static ProductCard Card(long id)
        => new(id, 1, 1, $"Card {id}", $"card-{id}", 100, "active", false, DateTimeOffset.UnixEpoch) { Image = new CardImage($"/api/media/images/{id}?w=320", FlowerThumbHash) };

    private static ProductImage Image(long id) => new(id, $"/images/p/{id}/1.jpg", 1, 800, 800, "a photo");

    private static async Task<List<ImageFrame>> LoadAsync(HiveClient client, ProductImage image, double width, double height)
    {
        var frames = new List<ImageFrame>();
        await foreach (var frame in client.Media.Images.LoadAsync(image, width, height))
        {
            frames.Add(frame);
        }

        return frames;
    }
}
