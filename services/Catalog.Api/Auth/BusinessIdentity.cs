using System.Globalization;
using System.Security.Claims;

namespace Catalog.Api.Auth;

public static class BusinessIdentity
{
    /// <summary>The business the caller's token acts for, or null when the token names none.</summary>
    public static long? BusinessId(this ClaimsPrincipal user)
        => long.TryParse(user.FindFirstValue(CatalogAuthOptions.BusinessClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;
}
