using System.Net;
using Hive.Testing;

namespace Search.Api.Tests.Caching;

/// <summary>Identical cold requests arriving together cost one query, however many there are.</summary>
[Collection(SearchCollection.Name)]
public sealed class SingleFlightTests(SearchFixture fixture)
{
    [Fact]
    public async Task AHundredConcurrentIdenticalColdSearchesRunOneQuery()
    {
        using var searches = new SqlCommandCounter("pg_trgm.word_similarity_threshold", fixture.PostgresPort);
        var url = $"/api/search?q=kiondo%20{Guid.NewGuid():N}";

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => fixture.Client.GetAsync(url)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single((await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()))).Distinct());
        Assert.Equal(1, searches.Count);
    }

    [Fact]
    public async Task AHundredConcurrentIdenticalColdAutocompletesRunOneQuery()
    {
        using var suggestions = new SqlCommandCounter("name_starts", fixture.PostgresPort);
        var url = $"/api/search/autocomplete?q=kio{Guid.NewGuid():N}";

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => fixture.Client.GetAsync(url)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, suggestions.Count);
    }
}
