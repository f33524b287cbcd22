using System.Net;
using Hive.Mobile.Auth;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Http;
using Hive.Mobile.Models;
using Hive.Mobile.Tests.Auth;
using Hive.Mobile.Tests.Fleet;
using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Hive.Mobile.Tests.Http;

/// <summary>
/// What the SDK does on the wire when the network or the server misbehaves: lost connections make it
/// think itself offline after a few in a row and back online at the first answer (which sends the orders
/// waiting), a stalled answer is given up, error answers become typed refusals with what the server said,
/// and every request says who is asking and what it accepts.
/// </summary>
public sealed class TransportRuleTests : IAsyncLifetime
{
    private const long StalledId = 666;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _data = MobileClients.NewDataDirectory();
    private readonly ManualNetworkMonitor _network = new(NetworkQuality.Good);
    private readonly List<(string Path, string Accept, string UserAgent)> _seen = [];
    private volatile bool _dropping;
    private int _orders;
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                lock (_seen)
                {
                    _seen.Add((context.Request.Path + context.Request.QueryString, context.Request.Headers.Accept.ToString(), context.Request.Headers.UserAgent.ToString()));
                }

                if (_dropping)
                {
                    // The connection is lost before an answer: what a phone sees when its cell drops.
                    context.Abort();
                    return;
                }

                await next(context);
            });
            app.MapGet("/api/catalog/products/{id:long}", async (long id, HttpContext context) =>
            {
                if (id == StalledId)
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }

                return Results.Text(WireAnswers.Product(id), "application/json");
            });
            app.MapGet("/api/catalog/products/by-slug/{slug}", (string slug) => slug switch
            {
                "proxy-page" => Results.Text("<html><body>Not here</body></html>", "text/html", statusCode: 404),
                "bad-json" => Results.Text("{ not json", "application/problem+json", statusCode: 409),
                "empty" => Results.StatusCode(409),
                _ => Results.ValidationProblem(new Dictionary<string, string[]> { ["slug"] = ["A slug has at most 120 characters."] }, title: "One or more fields are invalid."),
            });
            app.MapPost("/api/catalog/orders", () =>
            {
                Interlocked.Increment(ref _orders);
                return Results.Json(new { id = 7, businessId = 1, status = "pending", total = 10m, currency = "KES", createdAt = DateTimeOffset.UnixEpoch, lines = Array.Empty<object>() }, statusCode: 201);
            });
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task LostConnectionsInARowMakeTheClientOfflineAndTheFirstAnswerAfterThemSendsTheWaitingOrder()
    {
        var clock = new FakeTimeProvider();
        await using var client = Client(o => o.TimeProvider = clock);
        client.UseAccessTokens(new FixedTokens("buyer-a", "token-a"));
        _dropping = true;

        var order = await client.Orders.PlaceAsync(new OrderRequest("A", "+254712000000", "Nairobi", [new OrderLineRequest(1, 1)]));
        await Eventually.TrueAsync(() => Task.FromResult(client.Statistics.FailedAttempts == 1), Deadline, "the order's one attempt failed");
        Assert.False(client.SeemsOffline);
        await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductAsync(1));
        Assert.False(client.SeemsOffline);
        var lost = await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductAsync(2));
        Assert.StartsWith("The gateway could not be reached: ", lost.Message);
        Assert.IsType<HttpRequestException>(lost.InnerException);
        Assert.True(client.SeemsOffline);
        Assert.Equal(3, client.Statistics.FailedAttempts);
        Assert.Equal(0, Volatile.Read(ref _orders));

        // No retry timer fires (the clock stands still): only the answer that ends the outage sends the order.
        _dropping = false;
        Assert.Equal(3, (await client.Catalog.ProductAsync(3)).Value.Id);
        var placed = await client.Orders.Queue.WhenFinishedAsync(order.IdempotencyKey).WaitAsync(Deadline);

        Assert.True(placed.Placed);
        Assert.False(client.SeemsOffline);
        Assert.Equal(1, Volatile.Read(ref _orders));
    }

    [Fact]
    public async Task ThePlatformsWordIsEnoughToBeOfflineAndItsReturnForgetsTheFailuresSeen()
    {
        await using var client = Client();
        _dropping = true;
        for (var id = 1; id <= 3; id++)
        {
            await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductAsync(id));
        }

        Assert.True(client.SeemsOffline);
        _network.Quality = NetworkQuality.Offline;
        Assert.True(client.SeemsOffline);
        _network.Quality = NetworkQuality.Moderate;

        Assert.False(client.SeemsOffline);
        Assert.Equal(NetworkQuality.Moderate, client.Network);
    }

    [Fact]
    public async Task OfflineByThePlatformAloneNothingIsSent()
    {
        _network.Quality = NetworkQuality.Offline;
        await using var client = Client();

        Assert.True(client.SeemsOffline);
        var offline = await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductAsync(4));
        Assert.Equal("Offline, and api/catalog/products/4 is not cached.", offline.Message);
        Assert.Equal(0, client.Statistics.RequestsSent);
        Assert.Empty(Seen());
    }

    [Fact]
    public async Task AtLeastOneLostConnectionCountsEvenWhenTheSettingSaysNone()
    {
        await using var client = Client(o => o.FailuresBeforeOffline = 0);
        _dropping = true;

        await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductAsync(5));

        Assert.True(client.SeemsOffline);
    }

    [Fact]
    public async Task AStalledAnswerIsGivenUpAsOfflineAndCountedAsAFailedAttempt()
    {
        await using var client = Client(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300));

        var stalled = await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductAsync(StalledId).WaitAsync(Deadline));

        Assert.IsType<Polly.Timeout.TimeoutRejectedException>(stalled.InnerException);
        Assert.Equal((1, 1), (client.Statistics.RequestsSent, client.Statistics.FailedAttempts));
    }

    [Fact]
    public async Task ALostConnectionOrAStalledAnswerIsTriedAgainUpToTheRetryLimit()
    {
        await using var client = Client(o =>
        {
            o.MaxRetries = 2;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            o.FailuresBeforeOffline = 100;
        });

        _dropping = true;
        await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductAsync(9));
        Assert.Equal((3, 3), (client.Statistics.RequestsSent, client.Statistics.FailedAttempts));
        _dropping = false;
        await Assert.ThrowsAsync<HiveOfflineException>(() => client.Catalog.ProductAsync(StalledId).WaitAsync(Deadline));

        Assert.Equal((6, 6), (client.Statistics.RequestsSent, client.Statistics.FailedAttempts));
    }

    [Theory]
    [InlineData("GET", false, true)]
    [InlineData("HEAD", false, true)]
    [InlineData("OPTIONS", false, true)]
    [InlineData("PUT", false, true)]
    [InlineData("DELETE", false, true)]
    [InlineData("POST", true, true)]
    [InlineData("POST", false, false)]
    [InlineData("PATCH", true, false)]
    public void OnlySafeAndIdempotentRequestsAndPostsWithAnIdempotencyKeyMayBeSentAgain(string method, bool withKey, bool mayRetry)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "api/x");
        if (withKey)
        {
            request.Headers.Add("Idempotency-Key", "k1");
        }

        Assert.Equal(mayRetry, RetryPolicy.MayRetry(request));
    }

    [Fact]
    public async Task EveryRequestSaysItAcceptsJsonAndComesFromTheSdkAndItsBytesAreCounted()
    {
        await using var client = Client();

        await client.Catalog.ProductAsync(8);

        var (path, accept, userAgent) = Assert.Single(Seen());
        Assert.Equal("/api/catalog/products/8", path);
        Assert.Equal("application/json", accept);
        Assert.Equal("Hive.Mobile/1.0", userAgent);
        Assert.Equal(WireAnswers.Product(8).Length, client.Statistics.BytesReceived);
        Assert.Equal(1, client.Statistics.RequestsSent);
        Assert.Equal(0, client.Statistics.FailedAttempts);
    }

    [Fact]
    public async Task AnErrorAnswerIsARefusalCarryingWhatTheServerSaidOrItsStatusWhenItSaidNothingReadable()
    {
        await using var client = Client();

        var invalid = await Assert.ThrowsAsync<HiveApiException>(() => client.Catalog.ProductBySlugAsync("too-long"));
        var proxy = await Assert.ThrowsAsync<HiveApiException>(() => client.Catalog.ProductBySlugAsync("proxy-page"));
        var garbled = await Assert.ThrowsAsync<HiveApiException>(() => client.Catalog.ProductBySlugAsync("bad-json"));
        var empty = await Assert.ThrowsAsync<HiveApiException>(() => client.Catalog.ProductBySlugAsync("empty"));

        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal(["A slug has at most 120 characters."], invalid.FieldErrors["slug"]);
        Assert.Equal("One or more fields are invalid.", invalid.Title);
        Assert.Equal("400 One or more fields are invalid.: no detail", invalid.Message);
        Assert.Equal((404, "Not Found", null), (proxy.Problem.Status, proxy.Title, proxy.Detail));
        Assert.Empty(proxy.FieldErrors);
        Assert.Equal("404 Not Found: no detail", proxy.Message);
        Assert.Equal((HttpStatusCode.Conflict, "Conflict"), (garbled.Status, garbled.Title));
        Assert.Equal((409, "Conflict"), (empty.Problem.Status, empty.Title));
    }

    [Theory]
    [InlineData(400, true)]
    [InlineData(403, true)]
    [InlineData(404, true)]
    [InlineData(409, true)]
    [InlineData(422, true)]
    [InlineData(499, true)]
    [InlineData(401, false)]
    [InlineData(408, false)]
    [InlineData(429, false)]
    [InlineData(399, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void OnlyAClientErrorThatSendingAgainCannotChangeIsDefinite(int status, bool definite)
    {
        var refusal = new HiveApiException((HttpStatusCode)status, new ProblemDetails { Title = "t", Detail = "d" });

        Assert.Equal(definite, refusal.IsDefinite);
        Assert.Equal($"{status} t: d", refusal.Message);
    }

    [Fact]
    public void AClientNeedsOptionsWithAnAbsoluteGatewayAFolderAndSensibleBudgets()
    {
        Assert.Throws<ArgumentNullException>(() => new HiveClient(null!));
        Assert.Equal("Gateway", Assert.Throws<ArgumentException>(() => new HiveClient(new HiveClientOptions { DataDirectory = _data })).ParamName);
        Assert.Equal("Gateway", Assert.Throws<ArgumentException>(() => new HiveClient(new HiveClientOptions { Gateway = new Uri("api/", UriKind.Relative), DataDirectory = _data })).ParamName);
        Assert.Equal("DataDirectory", Assert.Throws<ArgumentException>(() => new HiveClient(new HiveClientOptions { Gateway = _server.Address, DataDirectory = " " })).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Client(o => o.MaxRetries = -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Client(o => o.MemoryBudgetBytes = 1023));
        Assert.Throws<ArgumentOutOfRangeException>(() => Client(o => o.DiskBudgetBytes = 1023));
        Assert.Throws<ArgumentOutOfRangeException>(() => Client(o => o.PixelRatio = 0));
    }

    [Fact]
    public async Task ASignInWithoutItsOwnAuthorityAsksTheGatewayAndNeedsOptions()
    {
        await using var client = Client();
        var options = new SignInOptions { TokenStore = new FileTokenStore(Path.Combine(_data, "tokens.json")) };

        client.UseSignIn(options);

        Assert.Equal(_server.Address, options.Authority);
        Assert.Throws<ArgumentNullException>(() => client.UseSignIn(null!));
    }

    private HiveClient Client(Action<HiveClientOptions>? configure = null) => MobileClients.Create(_server.Address, _data, _network, o =>
    {
        o.MaxRetries = 0;
        configure?.Invoke(o);
    });

    private List<(string Path, string Accept, string UserAgent)> Seen()
    {
        lock (_seen)
        {
            return [.. _seen];
        }
    }
}
