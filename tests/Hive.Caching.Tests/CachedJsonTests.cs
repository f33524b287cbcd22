using System.Text.Json;
using Hive.Testing;
using Microsoft.Extensions.Primitives;

namespace Hive.Caching.Tests;

/// <summary>Answers stored ready to send keep their exact bytes and tag through Redis to another replica.</summary>
[Collection(RedisCollection.Name)]
public sealed class CachedJsonTests(RedisFixture redis)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record Item(long Id, string Name, decimal Price, IReadOnlyList<string> Tags);

    [Fact]
    public async Task AnotherReplicaReadsTheSameBytesAndETagFromRedisAndTheSameValueBack()
    {
        var ns = CacheInstance.NewNamespace();
        await using var a = await CacheInstance.CreateAsync(redis.Configuration, ns);
        await using var b = await CacheInstance.CreateAsync(redis.Configuration, ns);
        var key = a.Api.Keys.For("product", 1);
        var item = new Item(1, "Kikoi \"beach\" & <wrap> — ñ 🐝\u2028", 1499.50m, ["a", "b"]);

        var written = await a.Api.GetOrSetAsync(key, _ => Task.FromResult(CachedJson<Item>.Create(item, Web)));
        var read = await b.Api.GetAsync<CachedJson<Item>>(key);

        Assert.NotNull(read);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(item, Web), written.Body);
        Assert.Equal(written.Body, read.Body);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(CachedJson.ETagOf(written.Body), read.ETag);
        Assert.Equal(item.Name, read.GetValue(Web).Name);
        Assert.Equal(item.Tags, read.GetValue(Web).Tags);
    }

    [Fact]
    public void AnyChangeToTheBodyChangesTheETagAndTheSameBytesAlwaysGiveTheSameOne()
    {
        // A constant or colliding tag would answer 304 to a client holding an old price.
        var answers = Enumerable.Range(0, 200).Select(i => CachedJson<Item>.Create(new Item(1, "Kikoi", 1000m + i, ["a"]), Web)).ToList();

        Assert.Equal(answers.Count, answers.Select(a => a.ETag).Distinct().Count());
        Assert.All(answers, a => Assert.Matches("^\"[0-9a-f]{24}\"$", a.ETag));
        Assert.Equal(answers[7].ETag, CachedJson<Item>.Create(new Item(1, "Kikoi", 1007m, ["a"]), Web).ETag);
        Assert.NotEqual(answers[0].ETag, CachedJson<Item>.Create(new Item(1, "Kikoi", 1000m, ["b"]), Web).ETag);
    }

    [Fact]
    public void AMemoryHitReturnsTheVeryValueTheFillMadeWithoutDeserializing()
    {
        var item = new Item(2, "Jiko", 10m, []);
        var json = CachedJson<Item>.Create(item, Web);

        Assert.Same(item, json.GetValue(Web));
        Assert.Same(json.Encoded(ContentCoding.Brotli), json.Encoded(ContentCoding.Brotli));
    }

    [Theory]
    [InlineData("", ContentCoding.Identity)]
    [InlineData("identity", ContentCoding.Identity)]
    [InlineData("gzip", ContentCoding.Gzip)]
    [InlineData("GZIP;q=0.5, br;q=1.0", ContentCoding.Brotli)]
    [InlineData("br;q=0, gzip", ContentCoding.Gzip)]
    [InlineData("br;q=0.000, gzip;q=0", ContentCoding.Identity)]
    [InlineData("*", ContentCoding.Gzip)]
    [InlineData("deflate, compress", ContentCoding.Identity)]
    [InlineData("br, br", ContentCoding.Brotli)]
    [InlineData("gzip, gzip", ContentCoding.Gzip)]
    [InlineData("br;level=5", ContentCoding.Brotli)]
    [InlineData("br;x=0, gzip", ContentCoding.Brotli)]
    public void TheCodingFollowsAcceptEncoding(string header, ContentCoding expected)
        => Assert.Equal(expected, HttpCoding.Choose(new StringValues(header)));

    [Theory]
    [InlineData("\"abc\"", true)]
    [InlineData("W/\"abc\"", true)]
    [InlineData("\"abc-br\"", true)]
    [InlineData("\"abc-gzip\"", true)]
    [InlineData("\"x\", \"abc\"", true)]
    [InlineData("*", true)]
    [InlineData("\"abcd\"", false)]
    [InlineData("\"ab\"", false)]
    [InlineData("\"abc-deflate\"", false)]
    [InlineData("abc", false)]
    [InlineData("", false)]
    public void IfNoneMatchMatchesTheEntryInAnyOfItsCodings(string header, bool matches)
        => Assert.Equal(matches, HttpCoding.Matches(new StringValues(header), "\"abc\""));

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("{\"body\":{\"id\":1}}")]
    [InlineData("{\"etag\":\"\\\"abc\\\"\"}")]
    [InlineData("{}")]
    public void AStoredAnswerWithoutItsTagOrItsBodyIsNoAnswer(string stored)
        => Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CachedJson<Item>>(stored));

    [Fact]
    public void AStoredAnswerKeepsItsBodysBytesAsWrittenAndSkipsWhatItDoesNotKnow()
    {
        const string stored = "{\"v\":2,\"etag\":\"\\\"abc\\\"\",\"extra\":{\"x\":[1,{\"y\":2}]},\"body\":{ \"id\" : 1,  \"name\":\"Jiko\" }}";

        var json = JsonSerializer.Deserialize<CachedJson<Item>>(stored)!;
        var again = JsonSerializer.Deserialize<CachedJson<Item>>(JsonSerializer.Serialize(json))!;

        Assert.Equal("\"abc\"", json.ETag);
        Assert.Equal("{ \"id\" : 1,  \"name\":\"Jiko\" }", System.Text.Encoding.UTF8.GetString(json.Body));
        Assert.Equal(json.ETag, again.ETag);
        Assert.Equal(json.Body, again.Body);
        Assert.Equal("Jiko", again.GetValue(Web).Name);
    }

    [Fact]
    public void OnlyCachedAnswersAreStoredThisWay()
    {
        var factory = new CachedJsonConverterFactory();
        Assert.True(factory.CanConvert(typeof(CachedJson<Item>)));
        Assert.False(factory.CanConvert(typeof(string)));
        Assert.False(factory.CanConvert(typeof(List<Item>)));
    }
}
