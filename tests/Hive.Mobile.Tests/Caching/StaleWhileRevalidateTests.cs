using Hive.Mobile.Caching;
using Hive.Mobile.Tests.Fleet;
using Hive.Mobile.Tests.Http;
using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hive.Mobile.Tests.Caching;

/// <summary>Stale answers are shown at once and refreshed behind them, with If-None-Match.</summary>
public sealed class StaleWhileRevalidateTests : IAsyncLifetime
{
    private readonly string _data = MobileClients.NewDataDirectory();
    private LoopbackServer _server = null!;
    private volatile int _price = 10;
    private int _hits;
    private int _notModified;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app => app.MapGet("/api/catalog/products/{id:long}", (long id, HttpContext context) =>
        {
            Interlocked.Increment(ref _hits);
            var etag = $"\"v{_price}\"";
            context.Response.Headers.ETag = etag;
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                Interlocked.Increment(ref _notModified);
                return Results.StatusCode(304);
            }

            return Results.Json(new
            {
                id, businessId = 1, categoryId = 1, name = "Kiondo basket", slug = "kiondo-basket", description = "Woven sisal.", price = (decimal)_price,
                currency = "KES", stock = 3, status = "active", featured = false, version = _price, createdAt = DateTimeOffset.UnixEpoch,
                updatedAt = DateTimeOffset.UnixEpoch, images = Array.Empty<object>(),
            });
        }));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task AStaleAnswerIsServedAtOnceAndRefreshedInTheBackground()
    {
        await using var client = Client();
        Assert.Equal(10, (await client.Catalog.ProductAsync(1)).Value.Price);
        _price = 20;

        var stale = await client.Catalog.ProductAsync(1);

        Assert.Equal(10, stale.Value.Price);
        Assert.True(stale.IsStale);
        Assert.Equal(FetchSource.Memory, stale.Source);
        await Eventually.TrueAsync(async () => (await client.Catalog.ProductAsync(1)).Value.Price == 20, TimeSpan.FromSeconds(20), "the background refresh stored the new price");
    }

    [Fact]
    public async Task AnUnchangedStaleAnswerIsRenewedByA304WithoutABody()
    {
        await using var client = Client();
        var first = await client.Catalog.ProductAsync(1);

        var answers = new List<Fetched<Mobile.Models.ProductDetail>>();
        await foreach (var answer in client.Catalog.WatchProductAsync(1))
        {
            answers.Add(answer);
        }

        Assert.Single(answers);
        Assert.Equal(2, Volatile.Read(ref _hits));
        Assert.Equal(1, Volatile.Read(ref _notModified));
        Assert.Equal(1, client.Statistics.NotModified);
        Assert.True(client.Statistics.BytesSavedByNotModified > 100);
        Assert.True((await client.Catalog.ProductAsync(1)).ValidatedAt > first.ValidatedAt);
    }

    private HiveClient Client() => MobileClients.Create(_server.Address, _data, configure: o => o.Lifetimes = new CacheLifetimes { Product = TimeSpan.Zero });
}
