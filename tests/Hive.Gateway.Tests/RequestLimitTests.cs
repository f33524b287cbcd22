using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;

namespace Hive.Gateway.Tests;

/// <summary>Oversized requests get the right 4xx ProblemDetails from the gateway, quickly, without reaching a service.</summary>
public sealed class RequestLimitTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private TestBackend _backend = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync();
        var settings = GatewayHost.RoutedTo(_backend.Address);
        settings["Gateway:RateLimits:Enabled"] = "false";
        _gateway = GatewayHost.Start(redis.Configuration, settings);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task A50MegabyteJsonBodyIsRefusedWith413BeforeItIsRead()
    {
        using var client = _gateway.CreateClient();
        using var content = new StreamContent(new RepeatingStream((byte)' ', 50L * 1024 * 1024));
        content.Headers.ContentType = new("application/json");
        content.Headers.ContentLength = 50L * 1024 * 1024;
        // As curl and browsers do for large uploads: the client waits for the go-ahead before sending the body.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/products") { Content = content };
        request.Headers.ExpectContinue = true;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "262144 bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"refused without taking the 50 MB (took {clock.Elapsed.TotalSeconds:0.0} s)");
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimitIsA413Too()
    {
        using var client = _gateway.CreateClient();
        using var content = new StreamContent(new RepeatingStream((byte)' ', 2L * 1024 * 1024));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/catalog/products/1") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "262144 bytes");
    }

    [Fact]
    public async Task AMediaUploadMayBeFarLargerThanAJsonWrite()
    {
        using var client = _gateway.CreateClient();
        using var content = new StreamContent(new RepeatingStream(0xFF, 5L * 1024 * 1024));
        content.Headers.ContentType = new("image/jpeg");

        using var response = await client.PostAsync("/api/media/images", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(5L * 1024 * 1024, body.GetProperty("read").GetInt64());
    }

    [Fact]
    public async Task ATenKilobyteQueryStringIsA414()
    {
        using var client = _gateway.CreateClient();

        using var response = await client.GetAsync("/api/search?q=" + new string('a', 10 * 1024));

        await AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong, "query string");
    }

    [Fact]
    public async Task HugeHeadersAreA431NamingTheLargestHeader()
    {
        using var client = _gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/categories");
        request.Headers.Add("X-Padding", new string('p', 20 * 1024));

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "X-Padding");
    }

    [Fact]
    public async Task ARequestWithinEveryLimitIsForwarded()
    {
        using var client = _gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/catalog/products", new { name = "Kiondo", price = 1200 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A body of <paramref name="length"/> bytes made on the fly, so a 50 MB upload costs no memory.</summary>
    private sealed class RepeatingStream(byte value, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill(value);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
