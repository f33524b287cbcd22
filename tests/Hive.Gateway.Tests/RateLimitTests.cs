using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;

namespace Hive.Gateway.Tests;

/// <summary>
/// The gateway's rate limits, against a real Redis and a real service behind real Kestrel gateways:
/// the budget is shared by every replica, answers carry the IETF RateLimit headers, and the client
/// address is only taken from X-Forwarded-For when a trusted proxy sent it.
/// </summary>
public sealed class RateLimitTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private TestBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await TestBackend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task EveryAllowedAnswerCarriesTheRateLimitAndPolicyHeaders()
    {
        var policy = GatewayHost.NewPolicyName();
        await using var gateway = GatewayHost.Start(redis.Configuration, GatewayHost.WithLimit(GatewayHost.RoutedTo(_backend.Address), policy, 5));
        using var client = gateway.CreateClient();

        for (var i = 1; i <= 3; i++)
        {
            using var response = await client.GetAsync("/api/catalog/categories");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"\"{policy}\";q=5;w=60", Header(response, "RateLimit-Policy"));
            var current = Header(response, "RateLimit");
            Assert.StartsWith($"\"{policy}\";r={5 - i};t=", current, StringComparison.Ordinal);
            var t = int.Parse(current[(current.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(t, 0, 60);
        }
    }

    [Fact]
    public async Task OverTheLimitIsA429ProblemDetailsWithRetryAfterAndTheViolatedPolicy()
    {
        var policy = GatewayHost.NewPolicyName();
        await using var gateway = GatewayHost.Start(redis.Configuration, GatewayHost.WithLimit(GatewayHost.RoutedTo(_backend.Address), policy, 3));
        using var client = gateway.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.GetAsync("/api/search?q=unga");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var response = await client.GetAsync("/api/search?q=unga");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal($"\"{policy}\";r=0;t={(int)retryAfter.Value.TotalSeconds}", Header(response, "RateLimit"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("https://iana.org/assignments/http-problem-types#quota-exceeded", problem.GetProperty("type").GetString());
        Assert.Equal(policy, problem.GetProperty("violated-policies")[0].GetString());
    }

    [Fact]
    public async Task TwoGatewayReplicasShareOneBudgetSoExactlyTheLimitPassesUnderConcurrency()
    {
        const int limit = 20;
        const int extra = 12;
        var policy = GatewayHost.NewPolicyName();
        var settings = GatewayHost.WithLimit(GatewayHost.RoutedTo(_backend.Address), policy, limit);
        await using var first = GatewayHost.Start(redis.Configuration, settings);
        await using var second = GatewayHost.Start(redis.Configuration, settings);
        using var one = first.CreateClient();
        using var two = second.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, limit + extra).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? one : two).GetAsync("/api/catalog/products");
            return response.StatusCode;
        }));

        Assert.Equal(limit, answers.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(extra, answers.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task ASpoofedForwardedForFromAnUntrustedPeerIsIgnored()
    {
        var policy = GatewayHost.NewPolicyName();
        // No trusted proxies (the default): the test client on loopback is a direct, untrusted peer. Aspire
        // sets ASPNETCORE_FORWARDEDHEADERS_ENABLED=true on deployed projects, which on its own would trust everyone.
        var settings = GatewayHost.WithLimit(GatewayHost.RoutedTo(_backend.Address), policy, 3);
        settings["FORWARDEDHEADERS_ENABLED"] = "true";
        await using var gateway = GatewayHost.Start(redis.Configuration, settings);
        using var client = gateway.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task BehindATrustedProxyEachForwardedClientHasItsOwnBudget()
    {
        var policy = GatewayHost.NewPolicyName();
        var settings = GatewayHost.WithLimit(GatewayHost.RoutedTo(_backend.Address), policy, 2);
        settings["Gateway:TrustedProxies:KnownProxies:0"] = "127.0.0.1";
        await using var gateway = GatewayHost.Start(redis.Configuration, settings);
        using var client = gateway.CreateClient();

        var a = await StatusesAsync(client, "198.51.100.7", 3);
        var b = await StatusesAsync(client, "198.51.100.8", 2);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], a);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], b);
    }

    [Fact]
    public async Task OneFloodingClientIsRefusedWhileOtherClientsKeepBeingServed()
    {
        var policy = GatewayHost.NewPolicyName();
        var settings = GatewayHost.WithLimit(GatewayHost.RoutedTo(_backend.Address), policy, 50);
        settings["Gateway:TrustedProxies:KnownProxies:0"] = "127.0.0.1";
        await using var gateway = GatewayHost.Start(redis.Configuration, settings);
        using var flooder = gateway.CreateClient();
        using var others = gateway.CreateClient();

        using var stop = new CancellationTokenSource();
        var refused = 0;
        var flood = Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
                request.Headers.Add("X-Forwarded-For", "192.0.2.66");
                using var response = await flooder.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }));

        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref refused) > 200), TimeSpan.FromSeconds(60), "the flooding client is being refused");
        var served = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            served.AddRange(await StatusesAsync(others, $"192.0.2.{100 + i}", 1));
        }

        await stop.CancelAsync();
        await flood;
        Assert.All(served, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task WithRedisDownEachReplicaStillLimitsInMemoryNeitherAllowingNorRefusingEverything()
    {
        await using var ownRedis = Servers.Redis();
        await ownRedis.StartAsync();
        var policy = GatewayHost.NewPolicyName();
        await using var gateway = GatewayHost.Start(Servers.RedisConfiguration(ownRedis), GatewayHost.WithLimit(GatewayHost.RoutedTo(_backend.Address), policy, 4));
        using var client = gateway.CreateClient();
        using (var warm = await client.GetAsync("/api/catalog/products"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await ownRedis.StopAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await client.GetAsync("/api/catalog/products");
            statuses.Add(response.StatusCode);
            Assert.True(response.Headers.Contains("RateLimit"), "a fallback decision carries the headers too");
        }

        // The in-memory window starts empty when Redis goes, so this replica allows the limit, then refuses.
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    private static async Task<List<HttpStatusCode>> StatusesAsync(HttpClient client, string forwardedFor, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static string Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"no {name} header");
}
