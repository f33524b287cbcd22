using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Caching;
using Hive.Gateway.RateLimiting;
using Hive.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hive.Gateway.Tests;

/// <summary>
/// The gateway's rules as a client and an operator meet them: which budget a request draws on, when a
/// refused client may come back, who may open /admin, what readiness says when a service is down, the
/// exact boundaries of the request limits, and a configuration mistake stopping the start with its name.
/// </summary>
public sealed class EdgeRuleTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private TestBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await TestBackend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Theory]
    [InlineData("GET", "/api/catalog/categories", "default")]
    [InlineData("GET", "/health/live", "health")]
    [InlineData("POST", "/api/catalog/products", "writes")]
    [InlineData("DELETE", "/api/search/anything", "writes")]
    [InlineData("GET", "/api/search/autocomplete?q=sam", "autocomplete")]
    [InlineData("GET", "/api/search?q=unga", "search")]
    [InlineData("GET", "/API/SEARCH?q=unga", "search")]
    [InlineData("GET", "/api/searchable", "default")]
    [InlineData("GET", "/api/media/sizes", "media")]
    public async Task EachRequestDrawsOnThePolicyOfTheFirstRuleItMatches(string method, string path, string policy)
    {
        // The shipped rules (appsettings.json): health by path, writes by method, then autocomplete before
        // search by path segment, media; everything else the default budget.
        await using var gateway = GatewayHost.Start(redis.Configuration, GatewayHost.RoutedTo(_backend.Address));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = JsonContent.Create(new { name = "kikoi" });
        }

        using var response = await client.SendAsync(request);

        Assert.StartsWith($"\"{policy}\";", response.Headers.GetValues(RateLimitHeaders.Policy).Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, 12.2, 0, 13)] // allowed: quota comes back in 12.2 s, rounded up
    [InlineData(true, -3, 0, 0)] // allowed, the window already moved on: now
    [InlineData(true, 500, 0, 60)] // never later than the window
    [InlineData(false, 0, 0.3, 1)] // refused: retry after 0.3 s is 1 s, never 0 (a client would retry at once)
    [InlineData(false, 0, 0, 1)]
    [InlineData(false, 0, 41.01, 42)]
    public void TheSecondsUntilQuotaReturnsAreRoundedUpAndNeverZeroForARefusal(bool allowed, double resetInSeconds, double retryAfterSeconds, long expected)
    {
        var now = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
        var policy = new RateLimitPolicyOptions { Limit = 10, Window = TimeSpan.FromMinutes(1) };
        var result = new RateLimitResult(allowed, allowed ? 3 : 0, now.AddSeconds(resetInSeconds), TimeSpan.FromSeconds(retryAfterSeconds));

        Assert.Equal(expected, RateLimitHeaders.SecondsUntilQuotaReturns(policy, result, now));
    }

    [Fact]
    public async Task AdminPathsAreForAdminsOnly()
    {
        await using var tokens = await TestTokenIssuer.StartAsync();
        var settings = GatewayHost.TrustingTokensFrom(GatewayHost.RoutedTo(_backend.Address), tokens);
        await using var gateway = GatewayHost.Start(redis.Configuration, settings);
        using var client = gateway.CreateClient();

        async Task<HttpResponseMessage> GetAsync(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/reports");
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return await client.SendAsync(request);
        }

        using var anonymous = await GetAsync(null);
        using var buyer = await GetAsync(tokens.Buyer());
        using var admin = await GetAsync(tokens.Admin());

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, buyer.StatusCode);
        // An admin gets through to the gateway's own answer: there is no admin operation by that name.
        Assert.Equal(HttpStatusCode.NotFound, admin.StatusCode);
        var problem = await admin.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("No admin operation at /admin/reports.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SignedInUsersBehindOneAddressEachHaveTheirOwnBudget()
    {
        // A family on one phone network shares an address: the budget is the token subject's, so the rate
        // limiter must run after authentication has read the token.
        await using var tokens = await TestTokenIssuer.StartAsync();
        var policy = GatewayHost.NewPolicyName();
        var settings = GatewayHost.TrustingTokensFrom(GatewayHost.WithLimit(GatewayHost.RoutedTo(_backend.Address), policy, 1), tokens);
        await using var gateway = GatewayHost.Start(redis.Configuration, settings);
        using var client = gateway.CreateClient();

        async Task<HttpStatusCode> GetAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/categories");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var first = tokens.Buyer("buyer-1");
        Assert.Equal(HttpStatusCode.OK, await GetAsync(first));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(first));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(tokens.Buyer("buyer-2")));
    }

    [Fact]
    public async Task ReadinessNamesEachServiceThatIsDownAndWhyAndCountsThemWhenAllAreUp()
    {
        var settings = GatewayHost.RoutedTo(_backend.Address);
        await using (var healthy = GatewayHost.Start(redis.Configuration, settings))
        {
            var report = await ReadinessAsync(healthy);
            Assert.Equal(HealthStatus.Healthy, report.Status);
            Assert.Equal($"{settings.Count} services ready", report.Description);
        }

        using var closed = new ClosedPort();
        settings["ReverseProxy:Clusters:search:Destinations:d1:Address"] = $"http://127.0.0.1:{closed.Port}";
        await using var gateway = GatewayHost.Start(redis.Configuration, settings);
        var down = await ReadinessAsync(gateway);

        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.StartsWith("search: ", down.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("catalog", down.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("Healthy", down.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRequestLimitsAdmitExactlyTheirMaximumAndRefuseOneMore()
    {
        var settings = GatewayHost.RoutedTo(_backend.Address);
        settings["Gateway:RateLimits:Enabled"] = "false";
        settings["Gateway:Limits:MaxQueryStringLength"] = "100";
        settings["Gateway:Limits:MaxPathLength"] = "64";
        settings["Gateway:Limits:DefaultMaxBodyBytes"] = "2000";
        await using var gateway = GatewayHost.Start(redis.Configuration, settings);
        using var client = gateway.CreateClient();

        // The query string is counted without its '?'.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/search?q=" + new string('a', 98))).StatusCode);
        using var longQuery = await client.GetAsync("/api/search?q=" + new string('a', 99));
        await AssertProblemAsync(longQuery, HttpStatusCode.RequestUriTooLong, "The query string is too long.");

        const string prefix = "/api/catalog/";
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(prefix + new string('p', 64 - prefix.Length))).StatusCode);
        using var longPath = await client.GetAsync(prefix + new string('p', 65 - prefix.Length));
        await AssertProblemAsync(longPath, HttpStatusCode.RequestUriTooLong, "The path is too long.");

        using var atLimit = await client.PostAsync("/api/catalog/products", new ByteArrayContent(new byte[2000]));
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(2000, (await atLimit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("read").GetInt64());
        using var overLimit = await client.PostAsync("/api/catalog/products", new ByteArrayContent(new byte[2001]));
        await AssertProblemAsync(overLimit, HttpStatusCode.RequestEntityTooLarge, "The request body is too large.");
    }

    [Theory]
    [InlineData("Gateway:TrustedProxies:KnownProxies:0", "not-an-ip", "'not-an-ip' in Gateway:TrustedProxies:KnownProxies")]
    [InlineData("Gateway:TrustedProxies:KnownNetworks:0", "10.0.0.0/99", "'10.0.0.0/99' in Gateway:TrustedProxies:KnownNetworks")]
    [InlineData("Gateway:RateLimits:Policies:Bad_Name:Limit", "5", "Rate-limit policy name 'Bad_Name'")]
    [InlineData("Gateway:RateLimits:Policies:tiny:Limit", "0", "Policy 'tiny':")]
    [InlineData("Gateway:RateLimits:DefaultPolicy", "nowhere", "The default rate-limit policy 'nowhere' is not defined")]
    [InlineData("Gateway:RateLimits:Rules:0:Policy", "nowhere", "Rule 0 names the undefined rate-limit policy 'nowhere'")]
    public void AMisconfiguredGatewayRefusesToStartNamingTheSetting(string key, string value, string expected)
    {
        var settings = GatewayHost.RoutedTo(_backend.Address);
        settings[key] = value;
        if (key.EndsWith(":Limit", StringComparison.Ordinal))
        {
            settings[key.Replace(":Limit", ":Window", StringComparison.Ordinal)] = "00:01:00";
        }

        var why = ProductionStart.WhyItFailed(() => GatewayHost.Start(redis.Configuration, settings));

        Assert.Contains(expected, why, StringComparison.Ordinal);
    }

    private static async Task<HealthReportEntry> ReadinessAsync(GatewayHost gateway)
    {
        var health = gateway.Services.GetRequiredService<HealthCheckService>();
        var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"));
        return report.Entries["downstream-services"];
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }
}
