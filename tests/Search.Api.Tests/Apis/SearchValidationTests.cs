using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Search.Api.Model;

namespace Search.Api.Tests.Apis;

[Collection(SearchCollection.Name)]
public sealed class SearchValidationTests(SearchFixture fixture)
{
    public static TheoryData<string, string> BadSearches => new()
    {
        { "/api/search", "q" },
        { "/api/search?q=", "q" },
        { "/api/search?q=%20%20%20", "q" },
        { "/api/search?q=" + new string('a', 201), "q" },
        { "/api/search?q=%27%20%26%20%7C%20!%20(%20)%20%3A%20*%20%5C", "q" },
        { "/api/search?q=%F0%9F%98%80%F0%9F%93%B1", "q" },
        { "/api/search?q=phone&pageSize=101", "pageSize" },
        { "/api/search?q=phone&pageSize=0", "pageSize" },
        { "/api/search?q=phone&pageSize=-5", "pageSize" },
        { "/api/search?q=phone&pageSize=ten", "pageSize" },
        { "/api/search?q=phone&pageSize=99999999999999999999", "pageSize" },
        { "/api/search?q=phone&cursor=not-a-cursor", "cursor" },
        { "/api/search?q=phone&cursor=eyJmIjoiMCIsInMiOjAsImkiOjF9", "cursor" },
        { "/api/search?q=phone&cursor=" + new string('A', 600), "cursor" },
        { "/api/search?q=phone&sort=cheapest", "sort" },
        { "/api/search?q=phone&sort=price%3B", "sort" },
        { "/api/search?q=phone&minPrice=5000&maxPrice=100", "minPrice" },
        { "/api/search?q=phone&minPrice=-1", "minPrice" },
        { "/api/search?q=phone&minPrice=1e5", "minPrice" },
        { "/api/search?q=phone&maxPrice=NaN", "maxPrice" },
        { "/api/search?q=phone&maxPrice=99999999999999", "maxPrice" },
        { "/api/search?q=phone&category=Phones%20%26%20Tablets", "category" },
        { "/api/search?q=phone&category=no-such-category", "category" },
        { "/api/search/autocomplete", "q" },
        { "/api/search/autocomplete?q=%E2%9D%A4", "q" },
        { "/api/search/autocomplete?q=" + new string('k', 101), "q" },
        { "/api/search/popular?window=month", "window" },
        { "/api/search/popular?limit=500", "limit" },
        { "/api/search/popular/zero-results?window=year", "window" },
    };

    public static TheoryData<string> OddButValidSearches => new()
    {
        "/api/search?q=samsung%27%20OR%201%3D1%20--",
        "/api/search?q=a%3A*%20%26%20b%20%7C%20!c",
        "/api/search?q=kikoi%20%5C%20(",
        "/api/search?q=%F0%9F%93%B1%20samsung",
        "/api/search?q=%D0%A1%D0%B0%D0%BC%D1%81%D1%83%D0%BD%D0%B3%20samsung%20%E4%B8%89%E6%98%9F",
        "/api/search?q=%00samsung%00",
        "/api/search?q=sam%27%3A*",
        "/api/search?q=x",
        "/api/search?q=" + string.Join("%20", Enumerable.Repeat("kikoi", 30)),
        "/api/search?q=phone&q=kikoi",
        "/api/search?q=PHONE&sort=PRICE&pageSize=100&minPrice=0&maxPrice=0",
        "/api/search/autocomplete?q=%27%3A*%20%26%20k",
        "/api/search/popular?window=WEEK",
        // The bounds themselves are allowed: the highest price, and a price written in twenty characters.
        "/api/search?q=phone&maxPrice=9999999999.99",
        "/api/search?q=phone&minPrice=00000000000000000100",
    };

    [Theory]
    [MemberData(nameof(BadSearches))]
    public async Task BadInputIsA400ProblemNamingTheParameter(string url, string parameter)
    {
        using var response = await fixture.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var messages), $"errors should name {parameter}: {problem}");
        // Each message is a sentence a developer can act on, naming the parameter it is about.
        Assert.All(messages.EnumerateArray(), m =>
        {
            Assert.Contains(parameter, m.GetString(), StringComparison.Ordinal);
            Assert.True(m.GetString()!.Length > parameter.Length + 10, $"'{m}' says too little");
        });
        Assert.Equal("One or more validation errors occurred.", problem.GetProperty("title").GetString());
        Assert.Contains(parameter, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Theory]
    [MemberData(nameof(OddButValidSearches))]
    public async Task OddButValidInputGetsAnAnswerNotAnError(string url)
    {
        using var response = await fixture.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ACursorFromAnotherSearchOrATamperedCursorIsRefused()
    {
        var page = await fixture.Client.GetFromJsonAsync<SearchResponse>("/api/search?q=kikoi&pageSize=2");
        Assert.NotNull(page!.NextCursor);

        using var foreign = await fixture.Client.GetAsync($"/api/search?q=kiondo&pageSize=2&cursor={page.NextCursor}");
        using var otherSort = await fixture.Client.GetAsync($"/api/search?q=kikoi&pageSize=2&sort=price&cursor={page.NextCursor}");
        var chars = page.NextCursor.ToCharArray();
        chars[3] = chars[3] == 'a' ? 'b' : 'a';
        using var tampered = await fixture.Client.GetAsync($"/api/search?q=kikoi&pageSize=2&cursor={new string(chars)}");
        using var genuine = await fixture.Client.GetAsync($"/api/search?q=KIKOI&pageSize=5&cursor={page.NextCursor}");

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherSort.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }
}
