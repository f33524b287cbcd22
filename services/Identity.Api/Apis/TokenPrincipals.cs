using System.Collections.Immutable;
using System.Globalization;
using System.Security.Claims;
using Identity.Api.Data;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Apis;

/// <summary>
/// Builds the principal OpenIddict turns into tokens. Claims are read fresh from the user store on every
/// grant (including refresh), so a changed role or a removed business reaches the next access token.
/// </summary>
internal sealed class TokenPrincipals(UserManager<HiveUser> users)
{
    public async Task<ClaimsPrincipal> CreateAsync(HiveUser user, ImmutableArray<string> requestedScopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Name, user.UserName)
            .SetClaim(Claims.Email, user.Email)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)]);
        if (user.BusinessId is { } businessId)
        {
            identity.SetClaim(HiveClaims.BusinessId, businessId.ToString(CultureInfo.InvariantCulture));
        }

        // Every Hive token is for the Hive API, whether or not the client named the scope.
        identity.SetScopes(requestedScopes.Add(HiveClaims.Audience).Distinct());
        identity.SetResources(HiveClaims.Audience);
        identity.SetDestinations(Destinations);
        return new ClaimsPrincipal(identity);
    }

    public static ClaimsPrincipal CreateForClient(string clientId, ImmutableArray<string> requestedScopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId).SetClaim(Claims.Name, clientId);
        identity.SetScopes(requestedScopes.Add(HiveClaims.Audience).Distinct());
        identity.SetResources(HiveClaims.Audience);
        identity.SetDestinations(Destinations);
        return new ClaimsPrincipal(identity);
    }

    private static IEnumerable<string> Destinations(Claim claim) => claim.Type switch
    {
        // Services authorize on these, so they ride in the access token (and the ID token, for the app's UI).
        Claims.Role or HiveClaims.BusinessId or Claims.Name => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Email when claim.Subject?.HasScope(Scopes.Email) == true => [OpenIddictConstants.Destinations.IdentityToken],
        // Never leak the security stamp or other internal claims into a token.
        "AspNet.Identity.SecurityStamp" => [],
        _ => [OpenIddictConstants.Destinations.AccessToken],
    };
}
