using Identity.Api.Data;
using Microsoft.AspNetCore.Identity;

namespace Identity.Api.Apis;

/// <summary>
/// The one password check of the service (login form and password grant). Wrong password, unknown user
/// and locked account all come back as null after the same hashing work, so neither the answer nor its
/// timing tells them apart; failures count towards lockout.
/// </summary>
internal sealed class Credentials(UserManager<HiveUser> users, SignInManager<HiveUser> signIn)
{
    /// <summary>A valid hash of a random password, only ever verified to spend the time a real check costs.</summary>
    private static readonly string TimingDummyHash = new PasswordHasher<HiveUser>().HashPassword(new HiveUser(), Guid.NewGuid().ToString("N"));

    public async Task<HiveUser?> CheckAsync(string? userName, string? password)
    {
        password ??= string.Empty;
        var user = string.IsNullOrWhiteSpace(userName) ? null : await users.FindByNameAsync(userName.Trim());
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new HiveUser(), TimingDummyHash, password);
            return null;
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return user;
        }

        if (result.IsLockedOut)
        {
            // Identity skips hashing for a locked account; hash anyway so lockout does not show in the timing.
            users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? TimingDummyHash, password);
        }

        return null;
    }
}
