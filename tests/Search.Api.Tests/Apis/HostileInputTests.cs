using CsCheck;
using static Hive.Testing.HostileInput;

namespace Search.Api.Tests.Apis;

/// <summary>
/// Property tests: arbitrary text (every Unicode category, tsquery and SQL syntax, lone surrogates, very
/// long runs), edge numbers and forged cursors in every parameter of search, autocomplete and the popular
/// boards get a 2xx or a 4xx ProblemDetails, never a 500.
/// </summary>
[Collection(SearchCollection.Name)]
public sealed class HostileInputTests(SearchFixture fixture)
{
    private const int Iterations = 200;

    /// <summary>Hostile text, often around a word that matches, so it reaches the tsquery and the trigram match.</summary>
    private static readonly Gen<string?> SearchText = Gen.Frequency(
        (2, Value),
        (3, Gen.Select(Gen.OneOf("kikoi", "samsung", "sukuma ", "a", "ki", "é", "1"), Text, Gen.Bool)
            .Select((word, text, before) => (string?)(before ? text + word : word + text))));

    [Fact]
    public Task NoSearchQueryMakesAServerError()
        => GetEachAsync(Gen.Select(SearchText, Value, Value, Value, Value, Value, Value, (q, category, min, max, sort, size, cursor) =>
            "/api/search" + Query(("q", q), ("category", category), ("minPrice", min), ("maxPrice", max), ("sort", sort), ("pageSize", size), ("cursor", cursor))));

    [Fact]
    public Task NoAutocompleteOrBoardQueryMakesAServerError()
        => GetEachAsync(Gen.Select(SearchText, Value, Value, Gen.Int[0, 2], (q, window, limit, which) => which switch
        {
            0 => "/api/search/autocomplete" + Query(("q", q)),
            1 => "/api/search/popular" + Query(("window", window), ("limit", limit)),
            _ => "/api/search/popular/zero-results" + Query(("window", window), ("limit", limit)),
        }));

    private async Task GetEachAsync(Gen<string> paths)
    {
        await paths.SampleAsync(
            async path =>
            {
                using var response = await fixture.Client.GetAsync(path);
                await AssertNoServerErrorAsync(response, "GET " + path);
            },
            iter: Iterations,
            threads: 1);
    }
}

/// <summary>The roots of what the property tests found, as examples.</summary>
[Collection(SearchCollection.Name)]
public sealed class TsQueryTests(SearchFixture fixture)
{
    // U+02BC and U+02B9 are letters to .NET, and unaccent turns them into a quote: a tsquery built
    // before unaccent became "''':*" and Postgres refused it (500).
    [Theory]
    [InlineData("/api/search?q=kikoi%CA%BC")]
    [InlineData("/api/search?q=%C5%89")]
    [InlineData("/api/search?q=a%CA%B9b%20samsung")]
    [InlineData("/api/search/autocomplete?q=%CA%BCkiko")]
    [InlineData("/api/search/autocomplete?q=%CB%88")]
    public async Task ALetterThatUnaccentTurnsIntoAQuoteIsSearchedNotRefusedByPostgres(string path)
    {
        using var response = await fixture.Client.GetAsync(path);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
