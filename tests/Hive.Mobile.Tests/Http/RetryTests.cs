using System.Diagnostics;
using System.Net;
using Hive.Mobile.Http;
using Hive.Mobile.Models;
using Hive.Mobile.Tests.Fleet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hive.Mobile.Tests.Http;

/// <summary>Which answers the SDK sends a request again for, and how long it waits.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    private readonly string _data = MobileClients.NewDataDirectory();
    private readonly Dictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app =>
        {
            // Fails the first two attempts with the status in the path, then answers.
            app.MapGet("/api/catalog/products/{id:long}", (long id, HttpContext context) => Answer(context, $"get-{id}", (int)(id % 1000)));
            app.MapPost("/api/catalog/orders", (HttpContext context) => Answer(context, "post-" + context.Request.Headers["Idempotency-Key"], 503));
            app.MapGet("/api/catalog/categories", (HttpContext context) => Answer(context, "categories", 429, retryAfter: "1"));
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task ATransientFailureOfAReadIsRetried(int status)
    {
        await using var client = Client();
        var product = await client.Catalog.ProductAsync(1000 + status);
        Assert.Equal(1000 + status, product.Value.Id);
        Assert.Equal(3, Hits($"get-{1000 + status}"));
        Assert.Equal(3, client.Statistics.RequestsSent);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    public async Task AClientErrorOtherThan408And429IsNeverRetried(int status)
    {
        await using var client = Client();
        var error = await Assert.ThrowsAsync<HiveApiException>(() => client.Catalog.ProductAsync(2000 + status));
        Assert.Equal((HttpStatusCode)status, error.Status);
        Assert.Equal("failing on purpose", error.Detail);
        Assert.Equal(1, Hits($"get-{2000 + status}"));
    }

    [Fact]
    public async Task RetryAfterOn429IsWaitedFor()
    {
        await using var client = Client();
        var clock = Stopwatch.StartNew();
        var categories = await client.Catalog.CategoriesAsync();
        Assert.Empty(categories.Value);
        Assert.Equal(3, Hits("categories"));

        // Two waits of Retry-After: 1 s; the backoff alone (100 ms base) would take a fraction of that.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ThereAreAtMostThreeRetries()
    {
        await using var client = Client();
        var error = await Assert.ThrowsAsync<HiveApiException>(() => client.Catalog.ProductAsync(3503));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Equal(4, Hits("get-3503"));
        Assert.Equal((4, 4), (client.Statistics.RequestsSent, client.Statistics.FailedAttempts));
    }

    [Fact]
    public async Task WithNoRetriesATransientFailureIsTriedOnce()
    {
        await using var client = MobileClients.Create(_server.Address, _data, configure: o => o.MaxRetries = 0);
        var error = await Assert.ThrowsAsync<HiveApiException>(() => client.Catalog.ProductAsync(4503));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Equal(1, Hits("get-4503"));
        Assert.Equal(1, client.Statistics.RequestsSent);
    }

    [Fact]
    public async Task APostWithAnIdempotencyKeyIsRetriedAndTheQueueKeepsItsOrderUntilTheServerAnswers()
    {
        await using var client = Client();
        var queued = await client.Orders.PlaceAsync(new OrderRequest("A", "+254712000000", "Nairobi", [new OrderLineRequest(1, 1)]));
        var outcome = await client.Orders.Queue.WhenFinishedAsync(queued.IdempotencyKey).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(outcome.Placed);
        Assert.Equal(3, Hits("post-" + queued.IdempotencyKey));
    }

    private HiveClient Client() => MobileClients.Create(_server.Address, _data, configure: o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(50));

    private int Hits(string key)
    {
        lock (_gate)
        {
            return _hits.GetValueOrDefault(key);
        }
    }

    private IResult Answer(HttpContext context, string key, int failWith, string? retryAfter = null)
    {
        int hit;
        lock (_gate)
        {
            hit = _hits[key] = _hits.GetValueOrDefault(key) + 1;
        }

        var failsForever = key == "get-3503";
        if (hit <= 2 || failsForever || failWith is >= 400 and < 500 and not 408 and not 429)
        {
            if (retryAfter is not null)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            return Results.Problem("failing on purpose", statusCode: failWith);
        }

        return key switch
        {
            "categories" => Results.Json(Array.Empty<object>()),
            _ when key.StartsWith("post-", StringComparison.Ordinal) => Results.Json(
                new { id = 1, businessId = 1, status = "pending", total = 10m, currency = "KES", createdAt = DateTimeOffset.UtcNow, lines = new[] { new { lineNo = 1, productId = 1, quantity = 1, unitPrice = 10m } } },
                statusCode: 201),
            _ => Results.Json(new
            {
                id = long.Parse(key[4..], System.Globalization.CultureInfo.InvariantCulture),
                businessId = 1, categoryId = 1, name = "n", slug = "n", description = "d", price = 1m, currency = "KES", stock = 1,
                status = "active", featured = false, version = 1, createdAt = DateTimeOffset.UtcNow, updatedAt = DateTimeOffset.UtcNow,
                images = Array.Empty<object>(),
            }),
        };
    }
}
