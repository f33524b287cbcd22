using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Hive.IntegrationTests;

/// <summary>
/// A fleet with two gateway replicas and a small budget on one route, for the edge: the replicas share
/// one rate-limit budget through Redis, and a hung Postgres turns uncached reads into quick 503s while
/// cached ones keep being served. It pauses Postgres, so it runs apart from the shared fleet.
/// </summary>
public sealed class EdgeFleetFixture : FleetFixture
{
    public const int SizesLimit = 20;

    protected override bool Dashboard => false;

    protected override string[] Arguments =>
    [
        "--Hive:Infrastructure=Executables", "--Hive:Seed=demo", "--Hive:Replicas=1", "--Hive:GatewayReplicas=2",
        .. GenerousRateLimits,
        "--Gateway:RateLimits:Policies:sizes:Limit=" + SizesLimit,
        "--Gateway:RateLimits:Policies:sizes:Window=00:05:00",
        // Replaces the first rule of appsettings.json (health) with one just for this test's route.
        "--Gateway:RateLimits:Rules:0:Policy=sizes",
        "--Gateway:RateLimits:Rules:0:PathPrefix=/api/media/sizes",
    ];
}

[CollectionDefinition(Name)]
public sealed class EdgeFleetCollection : ICollectionFixture<EdgeFleetFixture>
{
    public const string Name = "edge fleet";
}

[Collection(EdgeFleetCollection.Name)]
public sealed class EdgeTests(EdgeFleetFixture fleet, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly FleetExplanation _explanation = fleet.Explain(output);

    public ValueTask DisposeAsync() => _explanation.DisposeAsync();

    [Fact]
    public async Task TwoGatewayReplicasShareOneBudgetSoExactlyTheLimitPasses()
    {
        var replicas = await GatewayReplicaAddressesAsync();
        Assert.Equal(2, replicas.Count);
        var clients = replicas.Select(address => new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) }).ToList();
        const int extra = 10;

        var answers = await Task.WhenAll(Enumerable.Range(0, EdgeFleetFixture.SizesLimit + extra).Select(async i =>
        {
            using var response = await clients[i % 2].GetAsync("/api/media/sizes");
            return (i % 2, response.StatusCode, Remaining: response.Headers.TryGetValues("RateLimit", out var v) ? v.First() : null);
        }));

        foreach (var client in clients)
        {
            client.Dispose();
        }

        output.WriteLine(string.Join(Environment.NewLine, answers.Select(a => $"replica {a.Item1}: {(int)a.StatusCode} {a.Remaining}")));
        Assert.Equal(EdgeFleetFixture.SizesLimit, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(extra, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.All(answers, a => Assert.StartsWith("\"sizes\";r=", a.Remaining, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASpoofedForwardedForIsIgnoredByTheFleetGateway()
    {
        // Another test of this fleet pauses Postgres; whatever ran before, catalog must be answering first.
        await Eventually.TrueAsync(
            async () =>
            {
                using var ready = await fleet.Gateway.GetAsync("/api/catalog/categories");
                return ready.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(60),
            "catalog answers through the gateway");

        // No trusted proxy is configured, so each request counts against the caller's own address.
        var headers = new List<string>();
        foreach (var spoof in new[] { "203.0.113.1", "203.0.113.2" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/categories");
            request.Headers.Add("X-Forwarded-For", spoof);
            using var response = await fleet.Gateway.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            headers.Add(response.Headers.GetValues("RateLimit").Single());
        }

        var remaining = headers.Select(h => long.Parse(h.Split(";r=")[1].Split(';')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(remaining[1] < remaining[0], $"the second spoofed address drew on the same budget: {string.Join(" then ", headers)}");
    }

    [Fact]
    public async Task WithPostgresPausedCachedReadsAnswerAndUncachedReadsAre503WithinSecondsThenRecover()
    {
        var product = await FleetClient.AnyActiveProductAsync(fleet.Gateway, skip: 5);
        var cached = $"/api/catalog/products/{product.Id}";
        using (var warm = await fleet.Gateway.GetAsync(cached))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var connection = new NpgsqlConnectionStringBuilder(await fleet.App.GetConnectionStringAsync("postgres"));
        await using (var pause = await PostgresPause.StartAsync(connection.Port))
        {
            output.WriteLine($"Paused {pause.ProcessCount} postgres processes.");

            using (var hit = await fleet.Gateway.GetAsync(cached))
            {
                Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
            }

            var clock = Stopwatch.StartNew();
            using (var miss = await fleet.Gateway.GetAsync($"/api/search?q={Guid.NewGuid():N}"))
            {
                output.WriteLine($"First uncached search: {(int)miss.StatusCode} after {clock.ElapsedMilliseconds} ms.");
                await AssertDatabaseUnavailableAsync(miss);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the first 503 took {clock.Elapsed.TotalSeconds:0.0} s");
            }

            for (var i = 0; i < 3; i++)
            {
                clock.Restart();
                using var miss = await fleet.Gateway.GetAsync($"/api/catalog/products/{900_000_000 + Random.Shared.Next(1_000_000)}");
                output.WriteLine($"Uncached product read: {(int)miss.StatusCode} after {clock.ElapsedMilliseconds} ms.");
                await AssertDatabaseUnavailableAsync(miss);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"an uncached read took {clock.Elapsed.TotalSeconds:0.0} s");
            }

            using (var hit = await fleet.Gateway.GetAsync(cached))
            {
                Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
            }
        }

        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await fleet.Gateway.GetAsync($"/api/search?q={Guid.NewGuid():N}");
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(60),
            "uncached reads answer again once Postgres continues");
    }

    private static async Task AssertDatabaseUnavailableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
    }

    /// <summary>Each gateway replica's own address (behind Aspire's proxy, which spreads requests between them).</summary>
    private async Task<List<Uri>> GatewayReplicaAddressesAsync()
    {
        var states = await fleet.CurrentStatesAsync();
        var addresses = new List<Uri>();
        foreach (var state in states.Values.Where(e => e.Resource.Name == "gateway"))
        {
            var urls = state.Snapshot.EnvironmentVariables.FirstOrDefault(e => e.Name == "ASPNETCORE_URLS")?.Value;
            output.WriteLine($"{state.ResourceId}: ASPNETCORE_URLS={urls}");
            if (urls is not null)
            {
                addresses.Add(new Uri(urls.Split(';')[0].Replace("localhost", "127.0.0.1", StringComparison.Ordinal)));
            }
        }

        return addresses;
    }
}
