using Hive.Mobile.Auth;
using Hive.Mobile.Tests.Auth;

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
        var token = await Hive.Testing.PasswordGrant.TokenAsync(gateway, email, MobileFleetFixture.DemoPassword, "openid offline_access");
        return new FixedTokens(email, token);
    }
}
