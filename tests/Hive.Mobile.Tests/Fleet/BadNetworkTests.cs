using Hive.Mobile.Api;
using Hive.Mobile.Caching;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Http;
using Hive.Mobile.Models;
using Hive.Mobile.Tests.Network;
using Hive.Testing;

namespace Hive.Mobile.Tests.Fleet;

/// <summary>The SDK against the real fleet through the gateway, with a bad network in between.</summary>
[Collection(MobileFleetCollection.Name)]
public sealed class BadNetworkTests(MobileFleetFixture fleet) : IAsyncLifetime
{
    private readonly string _data = MobileClients.NewDataDirectory();
    private BadNetworkProxy _network = null!;

    public Task InitializeAsync()
    {
        _network = new BadNetworkProxy(fleet.Gateway) { OneWayLatency = TimeSpan.FromMilliseconds(75) };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _network.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task SecondVisitRendersFromDiskWithNoRequestUntilItRevalidates()
    {
        var (productId, _, _) = await MobileClients.ActiveProductAsync(fleet.Direct, skip: 3);
        await using (var first = MobileClients.Create(_network.Address, _data))
        {
            await first.Catalog.CategoriesAsync();
            await first.Catalog.ProductsAsync(new ProductQuery { PageSize = 10 });
            await first.Catalog.ProductAsync(productId);
            Assert.Equal(3, first.Statistics.RequestsSent);
        }

        var requestsBefore = _network.Requests;
        await using var second = MobileClients.Create(_network.Address, _data);
        var categories = await second.Catalog.CategoriesAsync();
        var list = await second.Catalog.ProductsAsync(new ProductQuery { PageSize = 10 });
        var product = await second.Catalog.ProductAsync(productId);

        Assert.All(new[] { categories.Source, list.Source, product.Source }, source => Assert.Equal(FetchSource.Disk, source));
        Assert.NotEmpty(categories.Value);
        Assert.Equal(10, list.Value.Items.Count);
        Assert.Equal(productId, product.Value.Id);
        Assert.Equal(0, second.Statistics.RequestsSent);
        Assert.Equal(requestsBefore, _network.Requests);

        // Revalidation is one conditional request: the server confirms with a 304 and sends no body.
        var answers = await ToListAsync(second.Catalog.WatchProductAsync(productId, ReadMode.Revalidate));
        var only = Assert.Single(answers);
        Assert.Equal(productId, only.Value.Id);
        Assert.Equal(1, second.Statistics.RequestsSent);
        Assert.Equal(1, second.Statistics.NotModified);
        Assert.True(second.Statistics.BytesSavedByNotModified > 200, $"saved {second.Statistics.BytesSavedByNotModified} bytes");
        Assert.Equal(requestsBefore + 1, _network.Requests);
    }

    [Fact]
    public async Task TwentyConcurrentReadsOfOneProductMakeOneRequest()
    {
        var (productId, _, _) = await MobileClients.ActiveProductAsync(fleet.Direct, skip: 4);
        _network.OneWayLatency = TimeSpan.FromMilliseconds(250);
        _network.BytesPerSecond = 100_000;
        await using var client = MobileClients.Create(_network.Address, _data);

        var reads = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => client.Catalog.ProductAsync(productId))));

        Assert.All(reads, read => Assert.Equal(productId, read.Value.Id));
        Assert.Single(reads.Select(r => r.Value.Price).Distinct());
        Assert.Equal(1, client.Statistics.RequestsSent);
        Assert.Equal(1, _network.Requests);
    }

    [Fact]
    public async Task APriceUpdateIsSeenByARevalidatingClientWithinOneRoundTrip()
    {
        var (productId, businessId, price) = await MobileClients.ActiveProductAsync(fleet.Direct, skip: 5);
        await using var client = MobileClients.Create(_network.Address, _data);
        var before = await client.Catalog.ProductAsync(productId);
        Assert.Equal(price, before.Value.Price);

        var newPrice = price + 17m;
        await MobileClients.SetPriceAsync(fleet.Direct, productId, businessId, newPrice);
        var sent = client.Statistics.RequestsSent;

        var answers = await ToListAsync(client.Catalog.WatchProductAsync(productId, ReadMode.Revalidate));

        Assert.Equal(2, answers.Count);
        Assert.Equal(price, answers[0].Value.Price);
        Assert.NotEqual(FetchSource.Network, answers[0].Source);
        Assert.Equal(newPrice, answers[1].Value.Price);
        Assert.Equal(FetchSource.Network, answers[1].Source);
        Assert.Equal(sent + 1, client.Statistics.RequestsSent);

        // The renewed answer is what the next read gets, from memory.
        var after = await client.Catalog.ProductAsync(productId);
        Assert.Equal(newPrice, after.Value.Price);
        Assert.Equal(FetchSource.Memory, after.Source);
    }

    [Fact]
    public async Task ReadsSurviveAnswersCutMidwayOnASlowLink()
    {
        _network.OneWayLatency = TimeSpan.FromMilliseconds(150);
        _network.BytesPerSecond = 750_000 / 8;
        await using var client = MobileClients.Create(_network.Address, _data);

        _network.CutNextAnswers(2);
        var search = await client.Search.SearchAsync(new SearchQuery("shoes") { PageSize = 5 });

        Assert.Equal(FetchSource.Network, search.Source);
        Assert.Equal("shoes", search.Value.Query);
        Assert.Equal(3, client.Statistics.RequestsSent);
        Assert.Equal(2, client.Statistics.FailedAttempts);

        var suggestions = await client.Search.AutocompleteAsync("Sh");
        Assert.Equal("sh", suggestions.Value.Query);
    }

    [Fact]
    public async Task AnOfflineReadIsServedFromTheCacheAndAnUncachedOneSaysOffline()
    {
        var network = new ManualNetworkMonitor(NetworkQuality.Good);
        await using var client = MobileClients.Create(_network.Address, _data, network);
        var categories = await client.Catalog.CategoriesAsync();

        network.Quality = NetworkQuality.Offline;
        _network.Offline = true;
        var again = await client.Catalog.CategoriesAsync();
        Assert.Equal(categories.Value.Count, again.Value.Count);
        await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductAsync(987_654_321));
    }

    [Fact]
    public async Task BadInputIsATypedErrorNamingTheField()
    {
        await using var client = MobileClients.Create(_network.Address, _data);

        var error = await Assert.ThrowsAsync<HiveApiException>(() => client.Catalog.ProductsAsync(new ProductQuery { Sort = "cheapest" }));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
        Assert.True(error.IsDefinite);
        Assert.Contains("sort", error.FieldErrors.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrEmpty(error.Detail));
        Assert.Equal(1, client.Statistics.RequestsSent);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
