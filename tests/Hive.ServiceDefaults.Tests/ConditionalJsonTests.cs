using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hive.ServiceDefaults.Tests;

/// <summary>
/// Slow networks pay for a body only when it changed: the ETag must follow the body exactly, and a 304
/// must only answer a tag the client really holds.
/// </summary>
public sealed class ConditionalJsonTests : IAsyncLifetime
{
    private const string CacheControl = "public, max-age=30";
    private string _name = "maize flour";
    private TestService? _service;

    private HttpClient Client => _service!.Client;

    public async Task InitializeAsync()
        => _service = await TestService.StartAsync(map: app =>
            app.MapGet("/product", () => new ConditionalJson<ProductView>(new ProductView(7, _name), CacheControl)));

    public async Task DisposeAsync() => await _service!.DisposeAsync();

    [Fact]
    public async Task AnAnswerCarriesAStrongETagCacheControlVaryAndTheJsonBody()
    {
        using var response = await Client.GetAsync("/product");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Matches("^\"[0-9a-f]{24}\"$", response.Headers.ETag.Tag);
        Assert.Equal(CacheControl, response.Headers.CacheControl!.ToString());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("""{"id":7,"name":"maize flour"}""", body);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task TheSameBodyGetsTheSameETagEveryTime()
    {
        var first = await ETagAsync();
        var second = await ETagAsync();

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task TheETagChangesWhenTheBodyChanges()
    {
        var before = await ETagAsync();
        _name = "maize flour, 2 kg";

        var after = await ETagAsync();

        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task TheTagTheClientHoldsGivesA304WithoutBodyButWithTheTag()
    {
        var etag = await ETagAsync();

        using var response = await ConditionalGetAsync(etag.ToString());

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, response.Headers.ETag);
        Assert.Equal(CacheControl, response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task AWeakFormOfTheHeldTagAlsoGivesA304()
    {
        // Proxies that compress a body weaken its tag; If-None-Match compares weakly (RFC 9110 13.1.2).
        var etag = await ETagAsync();

        using var response = await ConditionalGetAsync($"W/{etag.Tag}");

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task AStarGivesA304()
    {
        using var response = await ConditionalGetAsync("*");

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task ATagForOlderDataGivesTheNewBody()
    {
        var old = await ETagAsync();
        _name = "maize flour, 2 kg";

        using var response = await ConditionalGetAsync(old.ToString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("2 kg", await response.Content.ReadAsStringAsync());
        Assert.NotEqual(old, response.Headers.ETag);
    }

    [Fact]
    public async Task AListOfTagsGivesA304WhenAnyOfThemIsCurrent()
    {
        var etag = await ETagAsync();

        using var response = await ConditionalGetAsync($"\"000000000000000000000000\", {etag}");

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    private async Task<EntityTagHeaderValue> ETagAsync()
    {
        using var response = await Client.GetAsync("/product");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag!;
    }

    private async Task<HttpResponseMessage> ConditionalGetAsync(string ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/product");
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await Client.SendAsync(request);
    }

    private sealed record ProductView(int Id, string Name);
}
