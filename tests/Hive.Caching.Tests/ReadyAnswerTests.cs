using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hive.Caching.Tests;

/// <summary>
/// What a client receives for a cached answer (<see cref="CachedJsonResult{T}"/>): the stored bytes or their
/// compressed form under the matching ETag, a bodiless 304 for a tag it holds; and the 503 a request gets when
/// it needs Redis and Redis is away. Each answer is written into a real response and read back.
/// </summary>
public sealed class ReadyAnswerTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Page(IReadOnlyList<string> Names);

    // Large and repetitive enough that both codings make it smaller. A new one per test: an entry compresses
    // once and keeps the result, so a shared one would be compressed by whichever test ran first.
    private readonly CachedJson<Page> Json = CachedJson<Page>.Create(new Page([.. Enumerable.Range(0, 200).Select(i => $"kikoi {i}")]), Web);

    private static async Task<(HttpResponse Response, byte[] Body)> SendAsync(IResult result, string? acceptEncoding = null, string? ifNoneMatch = null)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        if (acceptEncoding is not null)
        {
            context.Request.Headers.AcceptEncoding = acceptEncoding;
        }

        if (ifNoneMatch is not null)
        {
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return (context.Response, body.ToArray());
    }

    [Fact]
    public async Task TheStoredBytesAreSentAsJsonUnderTheirETag()
    {
        var (response, body) = await SendAsync(new CachedJsonResult<Page>(Json, "public, max-age=60"));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Json.Body, body);
        Assert.Equal(Json.Body.Length, response.ContentLength);
        Assert.Equal("application/json; charset=utf-8", response.ContentType);
        Assert.Equal(Json.ETag, response.Headers.ETag);
        Assert.Equal("public, max-age=60", response.Headers.CacheControl);
        Assert.Equal("Accept-Encoding", response.Headers.Vary);
        Assert.False(response.Headers.ContainsKey("Content-Encoding"));
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    public async Task AClientThatAsksGetsTheCompressedBytesWhichDecodeToTheStoredOnesUnderTheirOwnETag(string acceptEncoding, string coding)
    {
        var (response, body) = await SendAsync(new CachedJsonResult<Page>(Json, "no-cache"), acceptEncoding);

        Assert.Equal((200, coding), (response.StatusCode, response.Headers.ContentEncoding.ToString()));
        Assert.Equal(body.Length, response.ContentLength);
        Assert.True(body.Length < Json.Body.Length);
        Assert.Equal(Json.ETag[..^1] + "-" + coding + "\"", response.Headers.ETag);
        using var decoded = new MemoryStream();
        using (Stream decoder = coding == "br" ? new BrotliStream(new MemoryStream(body), CompressionMode.Decompress) : new GZipStream(new MemoryStream(body), CompressionMode.Decompress))
        {
            await decoder.CopyToAsync(decoded);
        }

        Assert.Equal(Json.Body, decoded.ToArray());
    }

    [Fact]
    public async Task AnAnswerThatCompressionWouldNotShrinkIsSentAsItIs()
    {
        var tiny = CachedJson<Page>.Create(new Page(["a"]), Web);

        var (response, body) = await SendAsync(new CachedJsonResult<Page>(tiny, "no-cache"), "br, gzip");

        Assert.Equal(tiny.Body, body);
        Assert.Equal(tiny.ETag, response.Headers.ETag);
        Assert.False(response.Headers.ContainsKey("Content-Encoding"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    public async Task AClientHoldingTheTagInAnyCodingGetsA304WithNoBody(string? acceptEncoding)
    {
        var (response, body) = await SendAsync(new CachedJsonResult<Page>(Json, "no-cache"), acceptEncoding, Json.ETag[..^1] + "-br\"");

        Assert.Equal(304, response.StatusCode);
        Assert.Empty(body);
        Assert.Null(response.ContentType);
        Assert.False(response.Headers.ContainsKey("Content-Encoding"));
        Assert.Equal(CachedJson.ETagFor(Json.ETag, acceptEncoding is null ? ContentCoding.Identity : ContentCoding.Gzip), response.Headers.ETag);
        Assert.Equal("no-cache", response.Headers.CacheControl);
    }

    [Fact]
    public async Task AClientHoldingAnotherTagGetsTheBody()
    {
        var (response, body) = await SendAsync(new CachedJsonResult<Page>(Json, "no-cache"), ifNoneMatch: "\"0123456789abcdef01234567\"");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Json.Body, body);
    }

    [Theory]
    [InlineData(ContentCoding.Brotli)]
    [InlineData(ContentCoding.Gzip)]
    public void AnEntryIsCompressedOnceAndOnlyWhenThatMakesItSmaller(ContentCoding coding)
    {
        var encoded = Json.Encoded(coding);

        Assert.NotNull(encoded);
        Assert.InRange(encoded.Length, 1, (Json.Body.Length / 4) - 1);
        Assert.Same(encoded, Json.Encoded(coding));
        // A body too short to shrink is not worth coding at all.
        Assert.Null(CachedJson<Page>.Create(new Page(["a"]), Web).Encoded(coding));
    }

    [Fact]
    public void NoOtherCodingIsMade() => Assert.Null(Json.Encoded(ContentCoding.Identity));

    [Fact]
    public void TheEndpointDocumentsItsBodyTypeAndItsNotModifiedAnswer()
    {
        var builder = new RouteEndpointBuilder(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/x"), 0);

        CachedJsonResult<Page>.PopulateMetadata(typeof(ReadyAnswerTests).GetMethod(nameof(TheEndpointDocumentsItsBodyTypeAndItsNotModifiedAnswer))!, builder);

        var produces = builder.Metadata.OfType<IProducesResponseTypeMetadata>().ToList();
        Assert.Equal([(200, typeof(Page)), (304, typeof(void))], produces.Select(p => (p.StatusCode, p.Type!)));
        Assert.Equal(["application/json"], produces[0].ContentTypes);
    }

    private static IExceptionHandler UnavailableHandler(TimeSpan circuitBreak) =>
        new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).AddHiveCaching("ready", o => o.CircuitBreakerDuration = circuitBreak).BuildServiceProvider()
            .GetServices<IExceptionHandler>().Single();

    private static async Task<(bool Handled, HttpContext Context, JsonElement? Problem)> HandleAsync(IExceptionHandler handler, Exception exception, bool withProblemDetailsService)
    {
        var services = new ServiceCollection().AddLogging();
        if (withProblemDetailsService)
        {
            services.AddProblemDetails();
        }

        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        context.Request.Headers.Accept = "application/json";
        using var body = new MemoryStream();
        context.Response.Body = body;
        var handled = await handler.TryHandleAsync(context, exception, CancellationToken.None);
        return (handled, context, body.Length == 0 ? null : JsonDocument.Parse(body.ToArray()).RootElement.Clone());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARequestThatNeedsRedisWhileItIsAwayIsA503WithRetryAfterTheCircuitBreak(bool withProblemDetailsService)
    {
        // Found however deep the service wrapped it.
        var exception = new InvalidOperationException("outer", new AggregateException(new CacheUnavailableException("Redis away")));

        var (handled, context, problem) = await HandleAsync(UnavailableHandler(TimeSpan.FromSeconds(2.2)), exception, withProblemDetailsService);

        Assert.True(handled);
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("3", context.Response.Headers.RetryAfter);
        Assert.NotNull(problem);
        Assert.Equal(503, problem.Value.GetProperty("status").GetInt32());
        Assert.Equal("The cache is not available.", problem.Value.GetProperty("title").GetString());
        Assert.Equal("This request needs Redis, which is not answering. Try again shortly.", problem.Value.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ALockThatCannotBeTakenSaysSoAndRetryAfterIsAtLeastASecond()
    {
        var (handled, context, problem) = await HandleAsync(UnavailableHandler(TimeSpan.Zero), new LockUnavailableException("lock away"), withProblemDetailsService: true);

        Assert.True(handled);
        Assert.Equal("1", context.Response.Headers.RetryAfter);
        Assert.Contains("needs a lock held in Redis", problem!.Value.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyOtherFailureIsLeftToTheNextHandler()
    {
        var (handled, context, problem) = await HandleAsync(UnavailableHandler(TimeSpan.FromSeconds(5)), new InvalidOperationException("x", new TimeoutException()), withProblemDetailsService: true);

        Assert.False(handled);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
        Assert.Null(problem);
    }
}
