using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Media.Api.Extensions;

/// <summary>
/// Seller bearer tokens, validated exactly as catalog validates them today (HMAC key from
/// <c>Catalog:Auth:SigningKey</c>, issuer <c>hive</c>, audience <c>hive-catalog</c>). One method, so the
/// fleet-wide token validation can replace it in one place.
/// </summary>
public static class SellerAuthentication
{
    public const string BusinessClaim = "business_id";

    public static IHostApplicationBuilder AddSellerAuthentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SellerTokenOptions>()
            .BindConfiguration(SellerTokenOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<SellerTokenOptions>>((jwt, tokens) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = SellerTokenOptions.Issuer,
                    ValidAudience = SellerTokenOptions.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(tokens.Value.SigningKey)),
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>The business the caller's token acts for, or null when it names none.</summary>
    public static long? BusinessId(this ClaimsPrincipal user)
        => long.TryParse(user?.FindFirstValue(BusinessClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;
}

/// <summary>Catalog's seller-token settings (section <c>Catalog:Auth</c>), read by media too.</summary>
public sealed class SellerTokenOptions
{
    public const string SectionName = "Catalog:Auth";
    public const string Issuer = "hive";
    public const string Audience = "hive-catalog";

    [Required]
    [MinLength(32)]
    public string SigningKey { get; set; } = string.Empty;
}
