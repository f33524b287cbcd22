using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Identity.Api.Tests;

/// <summary>
/// OpenIddict writes the token endpoint's answers, not a handler of ours, so the shapes identity's OpenAPI
/// document gives them are written by hand: these tests hold them to what the endpoint really answers.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class TokenEndpointDocumentTests(IdentityFixture identity)
{
    // One test for the whole document as well: the service builds it once per process, so mutation testing's
    // per-test coverage credits its examples only to the first test that asks for it.
    [Fact]
    public async Task TheDocumentIsTheCheckedInContractAndATokenAnswerAndARefusalHaveExactlyTheFieldsItDescribes()
    {
        using var http = identity.CreateBrowser();
        // Operation names, summaries, problem examples and worked examples are the contract in docs/openapi/identity.json.
        await Hive.Testing.OpenApiContract.AssertServedDocumentIsCheckedInAsync(http, "identity");
        var schemas = (await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("components").GetProperty("schemas");

        var (status, tokens) = await OidcClient.PasswordGrantAsync(http, "buyer-1@hive.test", IdentityFixture.DemoPassword);
        var (refusedStatus, refusal) = await OidcClient.PasswordGrantAsync(http, "buyer-1@hive.test", "not-the-password");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.BadRequest, refusedStatus);
        AssertFits(schemas.GetProperty("TokenResponse"), tokens, "TokenResponse");
        AssertFits(schemas.GetProperty("TokenError"), refusal, "TokenError");
    }

    private static void AssertFits(JsonElement schema, JsonElement body, string name)
    {
        var declared = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        var sent = body.EnumerateObject().Select(p => p.Name).ToList();

        Assert.True(sent.All(declared.Contains), $"{name} misses fields the endpoint sends: {string.Join(", ", sent.Where(f => !declared.Contains(f)))}");
        Assert.True(required.All(sent.Contains), $"{name} requires fields the endpoint did not send: {string.Join(", ", required.Where(f => !sent.Contains(f)))}");
    }
}
