using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Hive.Testing;

/// <summary>The operators' endpoints every service maps (<c>/admin/cache</c>, <c>/admin/invalidation/lag</c>) answer admins only.</summary>
public static class OperatorEndpoints
{
    /// <summary>Anonymous is 401, a buyer 403, an admin gets the figures as a JSON object.</summary>
    public static async Task AssertAdminsOnlyAsync(HttpClient client, TestTokenIssuer tokens, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(tokens);
        using (var anonymous = await client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var refused = await SendAsync(client, path, tokens.Buyer()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var answer = await SendAsync(client, path, tokens.Admin());
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
