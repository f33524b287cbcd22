using System.Net.Http.Json;
using System.Text.Json;
using Hive.Mobile.Auth;

namespace Hive.Mobile.Tests.Fleet;

/// <summary>
/// Who places test orders: a demo buyer of the test fleet, signed in at the identity service with the
/// password grant (enabled outside Production only). Each business's tests use their own buyer account
/// so their orders and Idempotency-Keys never meet.
/// </summary>
internal static class TestBuyer
{
    public static async Task<IAccessTokenProvider> TokensAsync(HttpClient gateway, long businessId)
    {
        var email = $"buyer-{1 + (businessId % 3)}@hive.test";
        using var response = await gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "hive-mobile",
            ["username"] = email,
            ["password"] = MobileFleetFixture.DemoPassword,
            ["scope"] = "openid offline_access",
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {email} answered {(int)response.StatusCode}: {body}");
        return new FixedTokens(email, body.GetProperty("access_token").GetString()!);
    }

    private sealed class FixedTokens(string userId, string token) : IAccessTokenProvider
    {
        public string? UserId => userId;

        public ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);
    }
}
