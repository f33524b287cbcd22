using System.Text.Json;

namespace Hive.Testing;

/// <summary>
/// Signs a user in at the identity service with the OAuth password grant, as tests, benchmarks and tools do
/// (the identity service offers it outside Production only; apps use code + PKCE).
/// </summary>
public static class PasswordGrant
{
    /// <summary>The public client the password grant is allowed for.</summary>
    public const string ClientId = "hive-mobile";

    /// <summary>
    /// The access token for <paramref name="user"/>, from <c>/connect/token</c> on <paramref name="http"/>'s base
    /// address (the gateway or the identity service itself). Throws, naming the user and the answer, when refused.
    /// </summary>
    public static async Task<string> TokenAsync(HttpClient http, string user, string password, string scope = "openid", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = ClientId,
            ["username"] = user,
            ["password"] = password,
            ["scope"] = scope,
        }), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Sign-in of {user} answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()
            ?? throw new InvalidOperationException($"The token answer for {user} has no access_token: {body}");
    }
}
