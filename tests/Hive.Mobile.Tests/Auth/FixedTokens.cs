using Hive.Mobile.Auth;

namespace Hive.Mobile.Tests.Auth;

/// <summary>A user whose access token never changes, or nobody (<see cref="Nobody"/>): for tests that need a token, not a sign-in.</summary>
internal sealed class FixedTokens(string? userId, string? token) : IAccessTokenProvider
{
    public static FixedTokens Nobody { get; } = new(null, null);

    public string? UserId => userId;

    public ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);
}
