using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Hive.Testing;

/// <summary>What every service offers besides its API: operators' endpoints, health, problem answers.</summary>
public static class ServiceSurface
{
    /// <summary>The health paths the service defaults map (readiness checks the service's own dependencies).</summary>
    public static TheoryData<string> HealthPaths => new() { "/health", "/health/live", "/health/ready" };

    /// <summary>The health path answers 200.</summary>
    public static async Task AssertHealthyAsync(HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A path no endpoint maps is a 404 ProblemDetails, not an empty answer.</summary>
    public static async Task AssertUnknownPathIsA404ProblemAsync(HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    /// <summary>The operators' endpoints every service maps (<c>/admin/cache</c>, <c>/admin/invalidation/lag</c>) answer admins only.</summary>
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
