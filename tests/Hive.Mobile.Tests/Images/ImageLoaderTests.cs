using System.Collections.Concurrent;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Images;
using Hive.Mobile.Models;
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
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/api/media/images/{id:long}/variants", (long id, HttpContext context) =>
            {
                _requests.Enqueue(context.Request.Path);
                return Results.Json(new
                {
                    imageId = id,
                    placeholder = FlowerThumbHash,
                    variants = new[] { 150, 320, 640, 1024, 1920 }.Select(w => new { name = $"w{w}", width = w, height = w, url = $"/api/media/images/{id}?w={w}" }),
                });
            });
            app.MapGet("/api/media/images/{id:long}", (long id, int w, HttpContext context) =>
            {
                _requests.Enqueue($"{context.Request.Path}?w={w}");
                _accepts.Enqueue(context.Request.Headers.Accept.ToString());
                return Results.Bytes(new byte[w * 10], "image/webp");
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
        Assert.Equal((320, true, "image/webp"), (target.Width, target.IsFinal, target.ContentType));
        Assert.Equal(3200, target.Bytes.Length);
        Assert.All(_accepts, accept => Assert.Equal("image/avif, image/webp;q=0.9, image/jpeg;q=0.8", accept));
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
