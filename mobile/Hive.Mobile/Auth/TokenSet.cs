namespace Hive.Mobile.Auth;

/// <summary>The tokens of a signed-in user, as a token store keeps them.</summary>
public sealed record TokenSet(string UserId, string AccessToken, string? RefreshToken, string? IdentityToken, DateTimeOffset AccessTokenExpiresAt);

/// <summary>
/// Keeps the tokens between app runs. A phone implements it on its secure storage (MAUI SecureStorage,
/// Android Keystore, iOS Keychain); <see cref="FileTokenStore"/> is for desktops, the demo and tests.
/// </summary>
public interface ITokenStore
{
    ValueTask<TokenSet?> LoadAsync(CancellationToken cancellationToken);

    ValueTask SaveAsync(TokenSet tokens, CancellationToken cancellationToken);

    ValueTask ClearAsync(CancellationToken cancellationToken);
}
