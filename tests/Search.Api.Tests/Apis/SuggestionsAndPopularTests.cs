using System.Net;
using System.Net.Http.Json;
using Search.Api.Model;

namespace Search.Api.Tests.Apis;

[Collection(SearchCollection.Name)]
public sealed class SuggestionsAndPopularTests(SearchFixture fixture)
{
    [Fact]
    public async Task AutocompleteOffersUpToTenCompletionsOfThePrefix()
    {
        var response = await fixture.Client.GetFromJsonAsync<AutocompleteResponse>("/api/search/autocomplete?q=Kio");

        Assert.InRange(response!.Suggestions.Count, 1, 10);
        Assert.Contains(response.Suggestions, s => s.Text == "kiondo basket");
        Assert.Contains(response.Suggestions, s => s.Text == "kiondo handbag");
        Assert.All(response.Suggestions, s => Assert.Contains(" kio", " " + s.Text, StringComparison.Ordinal));
        Assert.Equal(response.Suggestions.Count, response.Suggestions.Select(s => s.Text).Distinct().Count());
    }

    [Fact]
    public async Task PopularSearchesRankFirstInAutocomplete()
    {
        for (var i = 0; i < 3; i++)
        {
            await SearchAsClientAsync($"10.0.1.{i}", "/api/search?q=Maasai%20Shuka");
        }

        var response = await fixture.Client.GetFromJsonAsync<AutocompleteResponse>("/api/search/autocomplete?q=maasai%20sh");

        Assert.Equal("maasai shuka", response!.Suggestions[0].Text);
        Assert.True(response.Suggestions[0].Score >= 3);
        // What shoppers searched is a query; the product names completing the text are products.
        Assert.Equal("query", response.Suggestions[0].Kind);
        var products = await fixture.Client.GetFromJsonAsync<AutocompleteResponse>("/api/search/autocomplete?q=maasai%20sa");
        Assert.Contains(products!.Suggestions, s => s.Text == "maasai sandals" && s.Kind == "product");
    }

    [Fact]
    public async Task SearchesAreCountedAndZeroResultSearchesKeptApart()
    {
        for (var i = 0; i < 4; i++)
        {
            await SearchAsClientAsync($"10.0.2.{i}", $"/api/search?q={(i % 2 == 0 ? "Chai%20Majani" : "%20chai%20MAJANI%20")}");
        }

        await fixture.Client.GetAsync("/api/search?q=qqzzxv%20pptt");

        var popular = await fixture.Client.GetFromJsonAsync<PopularSearches>("/api/search/popular?window=hour&limit=50");
        var zero = await fixture.Client.GetFromJsonAsync<PopularSearches>("/api/search/popular/zero-results?window=day");

        Assert.Equal("hour", popular!.Window);
        Assert.Contains(popular.Queries, q => q.Query == "chai majani" && q.Count >= 4);
        Assert.DoesNotContain(popular.Queries, q => q.Query == "qqzzxv pptt");
        Assert.Contains(zero!.Queries, q => q.Query == "qqzzxv pptt");
    }

    [Fact]
    public async Task OneClientRepeatingASearchCountsOnce()
    {
        for (var i = 0; i < 20; i++)
        {
            await SearchAsClientAsync("10.0.3.1", "/api/search?q=kikoi%20wrap");
        }

        await SearchAsClientAsync("10.0.3.2", "/api/search?q=kikoi%20wrap");

        var popular = await fixture.Client.GetFromJsonAsync<PopularSearches>("/api/search/popular?window=hour&limit=50");
        Assert.Equal(2, popular!.Queries.Single(q => q.Query == "kikoi wrap").Count);
    }

    [Fact]
    public async Task ASearchThatFoundNothingIsNeverSuggestedToOthers()
    {
        for (var i = 0; i < 30; i++)
        {
            await SearchAsClientAsync($"10.0.4.{i}", "/api/search?q=kiondo%20scamlink");
        }

        var suggestions = await fixture.Client.GetFromJsonAsync<AutocompleteResponse>("/api/search/autocomplete?q=kiondo%20sc");
        var popular = await fixture.Client.GetFromJsonAsync<PopularSearches>("/api/search/popular?window=hour&limit=50");

        Assert.DoesNotContain(suggestions!.Suggestions, s => s.Text.Contains("scamlink", StringComparison.Ordinal));
        Assert.DoesNotContain(popular!.Queries, q => q.Query.Contains("scamlink", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PopularAnswersJsonWithAnETag()
    {
        using var response = await fixture.Client.GetAsync("/api/search/popular");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task AClientIsTheSignedInShopperElseTheAddressTheGatewayWrote()
    {
        string[] texts = ["solar lamp", "mchele pishori", "beaded necklace", "mbegu za mahindi"];
        // Twenty other shoppers each first, so these searches stand high on the board whatever else was searched.
        foreach (var text in texts)
        {
            for (var i = 0; i < 20; i++)
            {
                await SearchAsClientAsync($"10.0.7.{i}", Url(text));
            }
        }

        // A signed-in shopper is one client from any address; another shopper at the same address is another.
        foreach (var address in (string[])["10.0.8.1", "10.0.8.2", "10.0.8.3"])
        {
            await SearchAsClientAsync(address, Url("solar lamp"), fixture.Tokens.Buyer("shopper-a"));
        }

        await SearchAsClientAsync("10.0.8.1", Url("solar lamp"), fixture.Tokens.Buyer("shopper-b"));

        // Behind the gateway the last X-Forwarded-For entry is the one it wrote: what a client put before it changes nothing.
        await SearchAsClientAsync("198.51.100.1, 10.0.9.1", Url("mchele pishori"));
        await SearchAsClientAsync("198.51.100.2,10.0.9.1", Url("mchele pishori"));
        await SearchAsClientAsync("10.0.9.2", Url("mchele pishori"));

        // An entry longer than 64 characters is no address: such requests count as their connection's address.
        await SearchAsClientAsync("10.0.9.3, " + new string('a', 65), Url("beaded necklace"));
        await SearchAsClientAsync("10.0.9.3, " + new string('b', 65), Url("beaded necklace"));
        await SearchAsClientAsync(new string('a', 64), Url("mbegu za mahindi"));
        await SearchAsClientAsync(new string('b', 64), Url("mbegu za mahindi"));

        var board = await fixture.Client.GetFromJsonAsync<PopularSearches>("/api/search/popular?window=hour&limit=50");
        long CountOf(string text) => board!.Queries.SingleOrDefault(q => q.Query == text)?.Count ?? 0;
        Assert.Equal(22, CountOf("solar lamp"));
        Assert.Equal(22, CountOf("mchele pishori"));
        Assert.Equal(21, CountOf("beaded necklace"));
        Assert.Equal(22, CountOf("mbegu za mahindi"));

        static string Url(string text) => "/api/search?q=" + Uri.EscapeDataString(text);
    }

    /// <summary>Each address is another shopper, as the gateway reports it in X-Forwarded-For.</summary>
    private async Task SearchAsClientAsync(string address, string url, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Forwarded-For", address);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await fixture.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
