using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Messaging;
using Hive.Messaging.Analytics;
using Hive.Testing;

namespace Search.Api.Tests.Apis;

/// <summary>
/// What the service offers besides searching: its published contract, the operators' endpoints behind the
/// admin role, health, problem answers for unknown paths, and the analytics it hands to the metrics service.
/// </summary>
[Collection(SearchCollection.Name)]
public sealed class ServiceSurfaceTests(SearchFixture fixture)
{
    /// <summary>
    /// The document the service serves is the contract in docs/openapi/search.json that the mobile SDK is
    /// checked against: operation names, summaries, tags and the worked examples. (The fleet-wide check in
    /// Hive.Mobile.Tests reads it through the AppHost; this one fails where search's own change is made.)
    /// </summary>
    [Fact]
    public async Task TheServedOpenApiDocumentIsTheCheckedInContract()
    {
        await OpenApiContract.AssertServedDocumentIsCheckedInAsync(fixture.Client, "search");
        using var document = JsonDocument.Parse(await fixture.Client.GetStringAsync("/openapi/v1.json"));
        var examples = document.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Where(schema => schema.Value.TryGetProperty("example", out _))
            .Select(schema => schema.Name)
            .ToList();
        Assert.Superset(new HashSet<string> { "SearchResponse", "SearchHit", "AutocompleteResponse", "PopularSearches" }, examples.ToHashSet());
    }

    [Theory]
    [InlineData("/admin/cache")]
    [InlineData("/admin/invalidation/lag")]
    public Task OperatorEndpointsAnswerAdminsOnly(string path) => ServiceSurface.AssertAdminsOnlyAsync(fixture.Client, fixture.Tokens, path);

    [Theory]
    [MemberData(nameof(ServiceSurface.HealthPaths), MemberType = typeof(ServiceSurface))]
    public Task HealthEndpointsAnswer(string path) => ServiceSurface.AssertHealthyAsync(fixture.Client, path);

    [Fact]
    public Task AnUnknownPathIsA404Problem() => ServiceSurface.AssertUnknownPathIsA404ProblemAsync(fixture.Client, "/api/search/no-such-endpoint/here");

    /// <summary>
    /// A first page is one search for the analytics the metrics service keeps (with its folded text and the
    /// category searched); the pages after it are the same search and are not counted again.
    /// </summary>
    [Fact]
    public async Task AFirstPageIsPublishedAsASearchEventAndLaterPagesAreNot()
    {
        await RabbitMqTopology.DeclareAnalyticsQueueAsync(fixture.RabbitMqUri, CancellationToken.None);
        var word = "Zq" + Guid.NewGuid().ToString("N")[..8];

        using var first = await fixture.Client.GetAsync($"/api/search?q=KIKOI%20{word}&category=fashion&pageSize=1");
        first.EnsureSuccessStatusCode();
        // Words in an order no other test searches: events other tests recorded can still be in the publisher's
        // buffer and arrive after the queue was declared, and a search's event carries only its text.
        const string paged = "cotton kikoi shirt";
        using var filler = await fixture.Client.GetAsync($"/api/search?q={Uri.EscapeDataString(paged)}&pageSize=1");
        var cursor = (await filler.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nextCursor").GetString();
        using var second = await fixture.Client.GetAsync($"/api/search?q={Uri.EscapeDataString(paged)}&pageSize=1&cursor={Uri.EscapeDataString(cursor!)}");
        second.EnsureSuccessStatusCode();

        var seen = new List<JsonElement>();
        await Eventually.TrueAsync(
            async () =>
            {
                seen.AddRange(await TakeAnalyticsEventsAsync());
                return seen.Any(e => e.GetProperty("query").GetString() == $"kikoi {word.ToLowerInvariant()}")
                    && seen.Any(e => e.GetProperty("query").GetString() == paged);
            },
            TimeSpan.FromSeconds(60),
            "both first pages in the analytics queue");

        var search = seen.Single(e => e.GetProperty("query").GetString() == $"kikoi {word.ToLowerInvariant()}");
        Assert.Equal("Search", search.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Number, search.GetProperty("categoryId").ValueKind);
        Assert.Equal(JsonValueKind.Null, search.GetProperty("productId").ValueKind);

        // The second page adds nothing: give the publisher a batch period more, then count.
        await Task.Delay(TimeSpan.FromSeconds(2));
        seen.AddRange(await TakeAnalyticsEventsAsync());
        Assert.Single(seen, e => e.GetProperty("query").GetString() == paged);
    }

    /// <summary>Takes what is in the metrics service's analytics queue (no metrics service runs here).</summary>
    private async Task<List<JsonElement>> TakeAnalyticsEventsAsync()
    {
        var batches = await QueueReader.TakeMessagesAsync(fixture.RabbitMqUri, AnalyticsQueues.Events);
        Assert.All(batches, batch => Assert.Equal("search", batch.GetProperty("source").GetString()));
        return batches.SelectMany(batch => batch.GetProperty("events").EnumerateArray()).ToList();
    }
}
