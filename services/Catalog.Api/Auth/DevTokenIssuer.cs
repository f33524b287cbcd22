using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Catalog.Api.Auth;

/// <summary>
/// Issues seller tokens for development and the demo; real deployments use an identity provider with the
/// same claims (<c>sub</c>, <c>role</c>, <c>business_id</c>).
/// </summary>
public sealed class DevTokenIssuer(IOptions<CatalogAuthOptions> options, TimeProvider clock)
{
    public string Issue(long businessId, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = CatalogAuthOptions.Issuer,
            Audience = CatalogAuthOptions.Audience,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, $"business-{businessId}"),
                new Claim(CatalogAuthOptions.BusinessClaim, businessId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                .. roles.Select(role => new Claim(CatalogAuthOptions.RoleClaim, role)),
            ]),
            NotBefore = now,
            IssuedAt = now,
            Expires = now + settings.DevTokenLifetime,
            SigningCredentials = new SigningCredentials(SigningKey(settings), SecurityAlgorithms.HmacSha256),
        });
    }

    public static SymmetricSecurityKey SigningKey(CatalogAuthOptions settings) => new(Encoding.UTF8.GetBytes(settings.SigningKey));
}
