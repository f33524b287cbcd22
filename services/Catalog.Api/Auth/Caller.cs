using System.Globalization;
using System.Security.Claims;
using Hive.ServiceDefaults;

namespace Catalog.Api.Auth;

/// <summary>
/// Who is calling, read from the access token's claims (<c>sub</c>, <c>role</c>, <c>business_id</c>),
/// whichever issuer signed it. Handlers ask these questions instead of reading claims themselves.
/// </summary>
public static class Caller
{
    /// <summary>The token subject (the user id), or null for an anonymous caller.</summary>
    public static string? UserId(this ClaimsPrincipal user)
        => user.FindFirstValue(HiveClaims.Subject) is { Length: > 0 and <= 200 } subject ? subject : null;

    public static bool IsBuyer(this ClaimsPrincipal user) => user.HasRole(HiveRoles.Buyer);

    /// <summary>A seller acts for one business; a seller token without a business acts for none.</summary>
    public static bool IsSeller(this ClaimsPrincipal user) => user.HasRole(HiveRoles.Seller) && user.BusinessId() is not null;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasRole(HiveRoles.Admin);

    /// <summary>The business the caller's token acts for, or null when the token names none.</summary>
    public static long? BusinessId(this ClaimsPrincipal user)
        => long.TryParse(user.FindFirstValue(HiveClaims.BusinessId), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;

    private static bool HasRole(this ClaimsPrincipal user, string role)
        => user.Identity?.IsAuthenticated == true && user.FindAll(HiveClaims.Role).Any(c => c.Value == role);
}
