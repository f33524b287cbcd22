namespace Hive.Mobile.Auth;

/// <summary>
/// Where the SDK gets the bearer token for a user's requests (orders). The sign-in service implements it;
/// a test or a different identity provider can put its own in the same place.
/// </summary>
public interface IAccessTokenProvider
{
    /// <summary>The signed-in user's id (the token's <c>sub</c>), or null when nobody is signed in.</summary>
    string? UserId { get; }

    /// <summary>A token valid for at least the next minute (refreshed if needed), or null when nobody is signed in or the sign-in expired.</summary>
    ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken);
}
