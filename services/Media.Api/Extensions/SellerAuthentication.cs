using System.Globalization;
using System.Security.Claims;
using Hive.ServiceDefaults;

namespace Media.Api.Extensions;

/// <summary>
/// Sellers upload with access tokens from the identity service (or any OIDC provider), validated through
/// discovery like every other service's (<see cref="AuthenticationExtensions.AddHiveAuthentication{TBuilder}"/>).
/// </summary>
public static class SellerAuthentication
{
    public static IHostApplicationBuilder AddSellerAuthentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHiveAuthentication();
    }

    /// <summary>The business the caller's token acts for, or null when it names none.</summary>
    public static long? BusinessId(this ClaimsPrincipal user)
        => long.TryParse(user?.FindFirstValue(HiveClaims.BusinessId), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;
}
