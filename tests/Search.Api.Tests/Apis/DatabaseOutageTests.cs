using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Testing;

namespace Search.Api.Tests.Apis;

/// <summary>
/// Postgres frozen with SIGSTOP (not stopped: connections stay open and nothing answers). Cached answers
/// keep coming; anything that needs the database is a quick 503 ProblemDetails with Retry-After instead of
/// a wait; after SIGCONT the service answers again. Its own fixture, since it freezes the database.
/// </summary>
public sealed class DatabaseOutageTests(SearchFixture fixture) : IClassFixture<SearchFixture>
{
    [Fact]
    public async Task WithPostgresFrozenCachedSearchesAnswerAndUncachedOnesAreQuick503sUntilItContinues()
    {
        var client = fixture.Client;
        using (var warm = await client.GetAsync("/api/search?q=unga"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var timings = new List<string>();
        await using (var pause = await PostgresPause.StartAsync(fixture.PostgresPort))
        {
            using (var cached = await client.GetAsync("/api/search?q=unga"))
            {
                Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
            }

            // The background probe notices within about two seconds; from then on no request waits.
            var first = Stopwatch.StartNew();
            for (var i = 0; i < 4; i++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await client.GetAsync($"/api/search?q=z{Guid.NewGuid():N}");
                timings.Add($"{(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(response.Headers.RetryAfter);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(503, problem.GetProperty("status").GetInt32());
            }

            Assert.True(first.Elapsed < TimeSpan.FromSeconds(20), $"four uncached searches took {first.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", timings)}");
            var last = Stopwatch.StartNew();
            using (var again = await client.GetAsync($"/api/search?q=z{Guid.NewGuid():N}"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
            }

            Assert.True(last.Elapsed < TimeSpan.FromSeconds(2), $"once the breaker is open a request is refused at once (took {last.ElapsedMilliseconds} ms; before: {string.Join(", ", timings)})");
        }

        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await client.GetAsync($"/api/search?q=z{Guid.NewGuid():N}");
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(60),
            "uncached searches answer again after SIGCONT");
    }
}
