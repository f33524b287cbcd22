using System.Globalization;
using System.Security.Claims;

namespace Catalog.Api.Auth;

/// <summary>
/// Who is calling, read from the access token's claims (<c>sub</c>, <c>role</c>, <c>business_id</c>),
/// whichever issuer signed it. Handlers ask these questions instead of reading claims themselves.
/// </summary>
public static class Caller
{
    /// <summary>The token subject (the user id), or null for an anonymous caller.</summary>
    public static string? UserId(this ClaimsPrincipal user)
        => user.FindFirstValue(CatalogAuthOptions.SubjectClaim) is { Length: > 0 and <= 200 } subject ? subject : null;

    public static bool IsBuyer(this ClaimsPrincipal user) => user.HasRole(CatalogRoles.Buyer);

    /// <summary>A seller acts for one business; a seller token without a business acts for none.</summary>
    public static bool IsSeller(this ClaimsPrincipal user) => user.HasRole(CatalogRoles.Seller) && user.BusinessId() is not null;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasRole(CatalogRoles.Admin);

    /// <summary>The business the caller's token acts for, or null when the token names none.</summary>
    public static long? BusinessId(this ClaimsPrincipal user)
        => long.TryParse(user.FindFirstValue(CatalogAuthOptions.BusinessClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;

    private static bool HasRole(this ClaimsPrincipal user, string role)
        => user.Identity?.IsAuthenticated == true && user.FindAll(CatalogAuthOptions.RoleClaim).Any(c => c.Value == role);
}

/// <summary>The roles an access token can carry in its <c>role</c> claim (one claim per role).</summary>
public static class CatalogRoles
{
    public const string Buyer = "buyer";
    public const string Seller = "seller";
    public const string Admin = "admin";
}
