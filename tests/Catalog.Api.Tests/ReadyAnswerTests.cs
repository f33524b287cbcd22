using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Catalog.Api.Data;
using Hive.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests;

/// <summary>
/// Cached answers are stored ready to send: the bytes a client gets from a cache hit, from another
/// replica reading Redis, and from a fresh serialization (as an uncached answer is made) of the database row are the same bytes under
/// the same ETag; a client holding the tag gets a bodiless 304; Brotli and gzip decode to those bytes.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class ReadyAnswerTests(CatalogFixture catalog)
{
    // Products no other test of this collection changes.
    private const long Product = 41;
    private const string ProductPath = "/api/catalog/products/41";

    [Fact]
    public async Task AFillAMemoryHitAnotherReplicasRedisHitAndAFreshSerializationAreTheSameBytesUnderOneETag()
    {
        var cache = catalog.Factory.Services.GetRequiredService<IHiveCache>();
        await cache.RemoveAsync(cache.Keys.For("product", Product));

        using var client = catalog.Factory.CreateClient();
        var filled = await GetAsync(client, ProductPath);
        var hit = await GetAsync(client, ProductPath);

        await using var replica = catalog.CreateReplica();
        using var other = replica.CreateClient();
        var fromRedis = await GetAsync(other, ProductPath);

        var row = await catalog.Factory.Services.GetRequiredService<ProductQueries>().GetByIdAsync(Product, CancellationToken.None);
        var fresh = JsonSerializer.SerializeToUtf8Bytes(row, catalog.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

        Assert.Equal(fresh, filled.Body);
        Assert.Equal(fresh, hit.Body);
        Assert.Equal(fresh, fromRedis.Body);
        Assert.Equal(CachedJson.ETagOf(fresh), filled.ETag);
        Assert.Equal(filled.ETag, hit.ETag);
        Assert.Equal(filled.ETag, fromRedis.ETag);
    }

    [Theory]
    [InlineData(ProductPath)]
    [InlineData("/api/catalog/products?category=2&pageSize=50")]
    [InlineData("/api/catalog/categories")]
    public async Task AClientHoldingTheETagGetsA304WithoutABodyOnEveryReplica(string path)
    {
        using var client = catalog.Factory.CreateClient();
        var first = await GetAsync(client, path);

        await using var replica = catalog.CreateReplica();
        using var other = replica.CreateClient();
        foreach (var held in new[] { first.ETag, "W/" + first.ETag, $"\"00\", {first.ETag}" })
        {
            foreach (var reader in new[] { client, other })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.TryAddWithoutValidation("If-None-Match", held);
                using var response = await reader.SendAsync(request);
                Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
                Assert.Empty(await response.Content.ReadAsByteArrayAsync());
                Assert.Equal(first.ETag, response.Headers.ETag?.ToString());
            }
        }
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("br;q=0, gzip", "gzip")]
    public async Task ACompressedAnswerDecodesToTheSameBytesUnderItsOwnETag(string acceptEncoding, string expected)
    {
        using var client = catalog.Factory.CreateClient();
        var plain = await GetAsync(client, "/api/catalog/products?pageSize=50");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products?pageSize=50");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([expected], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var coded = await response.Content.ReadAsByteArrayAsync();
        Assert.True(coded.Length < plain.Body.Length, $"{expected} should be smaller: {coded.Length} vs {plain.Body.Length}");
        Assert.Equal(plain.Body, Decode(coded, expected));

        var codedTag = response.Headers.ETag?.ToString();
        Assert.Equal(plain.ETag[..^1] + (expected == "br" ? "-br\"" : "-gzip\""), codedTag);

        // Revalidating with the coded representation's tag is a 304 too.
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products?pageSize=50");
        again.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(codedTag!));
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    private static byte[] Decode(byte[] coded, string coding)
    {
        using var input = new MemoryStream(coded);
        using Stream decoder = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    private static async Task<(byte[] Body, string ETag)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentEncoding.FirstOrDefault());
        return (await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag!.ToString());
    }
}
