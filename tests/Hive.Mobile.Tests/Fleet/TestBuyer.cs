using System.Net.Http.Json;
using System.Text.Json;
using Hive.Mobile.Auth;

namespace Hive.Mobile.Tests.Fleet;

/// <summary>
/// THE seam for who places test orders. Until identity (OpenIddict, password grant outside Production) and
/// buyer-owned orders land, the token is one catalog's development issuer accepts; switch this one method to
/// <c>client.UseSignIn(...).SignInWithPasswordAsync(buyer, password)</c> when they do.
/// </summary>
internal static class TestBuyer
{
    public static async Task<IAccessTokenProvider> TokensAsync(HttpClient gateway, long businessId)
    {
        using var response = await gateway.PostAsJsonAsync("/api/catalog/dev/tokens", new { businessId });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        return new FixedTokens($"test-buyer-{businessId}", token);
    }

    private sealed class FixedTokens(string userId, string token) : IAccessTokenProvider
    {
        public string? UserId => userId;

        public ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);
    }
}
