using System.Globalization;
using Hive.Mobile.Api;
using Hive.Mobile.Auth;
using Hive.Mobile.Caching;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Http;
using Hive.Mobile.Tests.Auth;
using Hive.Mobile.Tests.Fleet;
using Hive.Mobile.Tests.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hive.Mobile.Tests.Requests;

/// <summary>
/// What each SDK call asks the gateway for: the path, its query in a stable order (so equal requests share one
/// cache entry), escaped values, prices in the invariant culture, and a page size that follows the connection.
/// The gateway here is a loopback server that records each request's raw target; the fleet tests send the
/// same calls to the real services.
/// </summary>
public sealed class RequestPathTests : IAsyncLifetime
{
    private const string SearchAnswer = """{"query":"q","sort":"relevance","hits":[],"total":{"value":0,"isExact":true},"facets":{"categories":[],"prices":[]},"nextCursor":null}""";
    private readonly string _data = MobileClients.NewDataDirectory();
    private readonly List<(string Target, string Authorization)> _asked = [];
    private readonly ManualNetworkMonitor _network = new(NetworkQuality.Good);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app => app.MapFallback((HttpContext context) =>
        {
            var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
            lock (_asked)
            {
                _asked.Add((target, context.Request.Headers.Authorization.ToString()));
            }

            var path = context.Request.Path.Value!;
            var json = path switch
            {
                "/api/catalog/categories" => """[{"id":1,"name":"Phones","slug":"phones","productCount":3}]""",
                _ when path.EndsWith("/featured", StringComparison.Ordinal) || path.EndsWith("/related", StringComparison.Ordinal)
                                                                            || path.EndsWith("/trending", StringComparison.Ordinal) => "[]",
                _ when path.StartsWith("/api/catalog/orders/", StringComparison.Ordinal) =>
                    """{"id":9,"businessId":1,"status":"pending","total":10,"currency":"KES","createdAt":"2026-01-01T00:00:00Z","lines":[]}""",
                "/api/catalog/orders" => """{"items":[],"nextCursor":null}""",
                _ when path.EndsWith("/products", StringComparison.Ordinal) =>
                    $$"""{"items":[],"nextCursor":"size-{{context.Request.Query["pageSize"]}}"}""",
                _ when path.StartsWith("/api/catalog/products/", StringComparison.Ordinal) => WireAnswers.Product(5),
                "/api/search/autocomplete" => """{"query":"q","suggestions":[]}""",
                "/api/search" => SearchAnswer,
                _ => null,
            };
            return json is null ? Results.NotFound() : Results.Text(json, "application/json");
        }));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Theory]
    [InlineData(NetworkQuality.Good, 20)]
    [InlineData(NetworkQuality.Moderate, 12)]
    [InlineData(NetworkQuality.Poor, 8)]
    public async Task APageLeftToTheSdkIsSmallerOnASlowerConnection(NetworkQuality quality, int size)
    {
        _network.Quality = quality;
        await using var client = Client();

        await client.Catalog.ProductsAsync();
        await client.Search.SearchAsync(new SearchQuery("kiondo"));
        await client.Catalog.ProductsAsync(new ProductQuery { PageSize = 50 });

        Assert.Equal(size, client.Catalog.DefaultPageSize);
        Assert.Equal([$"/api/catalog/products?pageSize={size}", $"/api/search?pageSize={size}&q=kiondo", "/api/catalog/products?pageSize=50"], Asked());
    }

    [Fact]
    public async Task AProductListAsksForEveryFilterInOneOrderWithPricesInTheInvariantCulture()
    {
        await using var client = Client();
        var query = new ProductQuery { Sort = "price_desc", MaxPrice = 20000m, MinPrice = 1500.5m, Category = 3, Business = 7, Cursor = "a+b/c=" };

        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            await client.Catalog.ProductsAsync(query);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        Assert.Equal(["/api/catalog/products?business=7&category=3&cursor=a%2Bb%2Fc%3D&maxPrice=20000&minPrice=1500.5&pageSize=20&sort=price_desc"], Asked());
    }

    [Fact]
    public async Task ABusinesssListAloneIsAskedOfTheBusinessAndWithAnyOtherFilterOfTheCatalog()
    {
        await using var client = Client();

        await client.Catalog.ProductsAsync(new ProductQuery { Business = 7, Sort = "newest" });
        await client.Catalog.ProductsAsync(new ProductQuery { Business = 7, Category = 2 });
        await client.Catalog.ProductsAsync(new ProductQuery { Business = 7, MinPrice = 5 });
        await client.Catalog.ProductsAsync(new ProductQuery { Business = 7, MaxPrice = 9 });

        Assert.Equal(
            [
                "/api/catalog/businesses/7/products?pageSize=20&sort=newest",
                "/api/catalog/products?business=7&category=2&pageSize=20",
                "/api/catalog/products?business=7&minPrice=5&pageSize=20",
                "/api/catalog/products?business=7&maxPrice=9&pageSize=20",
            ],
            Asked());
    }

    [Fact]
    public async Task OfflineAPageCachedAtAnotherConnectionsPageSizeIsShownRatherThanNothing()
    {
        _network.Quality = NetworkQuality.Poor;
        await using var client = Client();
        Assert.Equal("size-8", (await client.Catalog.ProductsAsync()).Value.NextCursor);

        _network.Quality = NetworkQuality.Offline;
        var offline = await client.Catalog.ProductsAsync();

        Assert.Equal("size-8", offline.Value.NextCursor);
        Assert.NotEqual(FetchSource.Network, offline.Source);
        await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductsAsync(new ProductQuery { PageSize = 20 }));
        await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductsAsync(new ProductQuery { Category = 4 }));
        Assert.Single(Asked());
    }

    [Fact]
    public async Task ASearchAsksWithItsTrimmedTextAndEveryFilter()
    {
        await using var client = Client();

        await client.Search.SearchAsync(new SearchQuery("  maziwa lala ") { Category = "dairy", MinPrice = 50m, MaxPrice = 120.75m, Sort = "price", PageSize = 10, Cursor = "c1" });
        await using (var watched = client.Search.WatchSearchAsync(new SearchQuery("unga")).GetAsyncEnumerator())
        {
            Assert.True(await watched.MoveNextAsync());
            Assert.Equal(FetchSource.Network, watched.Current.Source);
        }

        Assert.Equal(["/api/search?category=dairy&cursor=c1&maxPrice=120.75&minPrice=50&pageSize=10&q=maziwa%20lala&sort=price", "/api/search?pageSize=20&q=unga"], Asked());
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.Search.SearchAsync(null!));
    }

    [Fact]
    public async Task WhatWasTypedIsOneSuggestionRequestWhateverItsCaseOrSpaces()
    {
        await using var client = Client();

        await client.Search.AutocompleteAsync("Sho");
        await client.Search.AutocompleteAsync("sho ");
        var third = await client.Search.AutocompleteAsync("  SHO");

        Assert.Equal(["/api/search/autocomplete?q=sho"], Asked());
        Assert.NotEqual(FetchSource.Network, third.Source);
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.Search.AutocompleteAsync(null!));
    }

    [Fact]
    public async Task ShortListsCarryTheirLimitsAndWindowsAndLeaveOutWhatIsNotGiven()
    {
        await using var client = Client();

        await client.Catalog.FeaturedAsync(5);
        await client.Catalog.FeaturedAsync();
        await client.Catalog.TrendingAsync("week", 3);
        await client.Catalog.TrendingAsync();
        await client.Catalog.RelatedAsync(42, 4);
        await client.Catalog.RelatedAsync(43);
        var categories = await client.Catalog.CategoriesAsync();

        Assert.Equal(
            [
                "/api/catalog/products/featured?limit=5",
                "/api/catalog/products/featured",
                "/api/catalog/products/trending?limit=3&window=week",
                "/api/catalog/products/trending?window=day",
                "/api/catalog/products/42/related?limit=4",
                "/api/catalog/products/43/related",
                "/api/catalog/categories",
            ],
            Asked());
        Assert.Equal(("Phones", 3L), (Assert.Single(categories.Value).Name, categories.Value[0].ProductCount));
    }

    [Fact]
    public async Task AProductIsAskedByIdOrByItsEscapedSlugAndABlankSlugIsRefused()
    {
        await using var client = Client();

        var byId = await client.Catalog.ProductAsync(5);
        await client.Catalog.ProductBySlugAsync("chai masala/100g");
        await using (var watched = client.Catalog.WatchProductAsync(5).GetAsyncEnumerator())
        {
            Assert.True(await watched.MoveNextAsync());
            Assert.Equal((byId.Value.Id, FetchSource.Memory), (watched.Current.Value.Id, watched.Current.Source));
        }

        Assert.Equal(["/api/catalog/products/5", "/api/catalog/products/by-slug/chai%20masala%2F100g"], Asked());
        await Assert.ThrowsAsync<ArgumentException>(() => client.Catalog.ProductBySlugAsync(" "));
    }

    [Fact]
    public async Task ABuyersOrdersAreAskedWithTheirTokenAndNeedASignIn()
    {
        await using var client = Client();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.Orders.MineAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.Orders.OrderAsync(9));

        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));
        await client.Orders.MineAsync("next+1", 10);
        await client.Orders.MineAsync();
        var order = await client.Orders.OrderAsync(9);

        Assert.Equal(9, order.Value.Id);
        Assert.Equal(
            [
                ("/api/catalog/orders?cursor=next%2B1&pageSize=10", "Bearer token-a"),
                ("/api/catalog/orders", "Bearer token-a"),
                ("/api/catalog/orders/9", "Bearer token-a"),
            ],
            AskedWithTokens());
    }

    private HiveClient Client() => MobileClients.Create(_server.Address, _data, _network);

    private List<string> Asked() => [.. AskedWithTokens().Select(a => a.Target)];

    private List<(string Target, string Authorization)> AskedWithTokens()
    {
        lock (_asked)
        {
            return [.. _asked];
        }
    }
}
