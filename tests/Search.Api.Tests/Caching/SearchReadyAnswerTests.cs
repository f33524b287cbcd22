using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Hive.Caching;
using Microsoft.Extensions.DependencyInjection;
using Search.Api.Data;
using Search.Api.Model;
using Search.Api.Querying;

namespace Search.Api.Tests.Caching;

/// <summary>
/// Search pages and suggestions are stored ready to send: a fill, a memory hit, another replica's Redis
/// hit and a fresh serialization (as an uncached answer is made) of the database's answer are the same bytes under the same ETag.
/// </summary>
[Collection(SearchCollection.Name)]
public sealed class SearchReadyAnswerTests(SearchFixture fixture)
{
    [Fact]
    public async Task ASearchPageIsTheSameBytesUnderTheSameETagFromTheFillMemoryRedisAndTheDatabase()
    {
        const string path = "/api/search?q=kikoi&maxPrice=5000&pageSize=7";
        var filled = await GetAsync(fixture.Client, path);
        var hit = await GetAsync(fixture.Client, path);
        await using var replica = fixture.Factory.WithWebHostBuilder(_ => { });
        using var other = replica.CreateClient();
        var fromRedis = await GetAsync(other, path);

        var queries = fixture.Services.GetRequiredService<SearchQueries>();
        var options = fixture.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SearchOptions>>().Value;
        var (query, _) = SearchRequestParser.Parse(new SearchRequest("kikoi", null, null, "5000", null, null, "7"), 20, options.CursorKey);
        var direct = await queries.SearchAsync(query!, await queries.CategoriesAsync(CancellationToken.None), options.CursorKey, CancellationToken.None);
        var fresh = JsonSerializer.SerializeToUtf8Bytes(direct, fixture.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

        Assert.NotEmpty(direct.Hits);
        Assert.Equal(fresh, filled.Body);
        Assert.Equal(fresh, hit.Body);
        Assert.Equal(fresh, fromRedis.Body);
        Assert.Equal(CachedJson.ETagOf(fresh), filled.ETag);
        Assert.Equal(filled.ETag, hit.ETag);
        Assert.Equal(filled.ETag, fromRedis.ETag);
    }

    [Theory]
    [InlineData("/api/search?q=samsung&pageSize=20")]
    [InlineData("/api/search/autocomplete?q=kik")]
    public async Task HeldTagsGiveA304AndBrotliDecodesToThePlainBytes(string path)
    {
        var plain = await GetAsync(fixture.Client, path);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.TryAddWithoutValidation("If-None-Match", plain.ETag);
        using var notModified = await fixture.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var compressed = new HttpRequestMessage(HttpMethod.Get, path);
        compressed.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");
        using var response = await fixture.Client.SendAsync(compressed);
        var coded = await response.Content.ReadAsByteArrayAsync();
        if (response.Content.Headers.ContentEncoding.Count == 0)
        {
            // A body too small to gain from Brotli is sent as it is.
            Assert.Equal(plain.Body, coded);
            return;
        }

        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        using var input = new MemoryStream(coded);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        await brotli.CopyToAsync(output);
        Assert.Equal(plain.Body, output.ToArray());
    }

    private static async Task<(byte[] Body, string ETag)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag!.ToString());
    }
}
