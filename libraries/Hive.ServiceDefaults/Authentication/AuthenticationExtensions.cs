using Hive.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Bearer-token validation shared by the gateway and every service: tokens are checked against the
/// provider's OpenID Connect discovery document (issuer, signing keys with rollover), the <c>hive-api</c>
/// audience, lifetime and an allow-list of asymmetric algorithms. Refusals are ProblemDetails.
/// </summary>
public static class AuthenticationExtensions
{
    /// <summary>Where the AppHost puts the identity service's address (<c>WithReference(identity)</c>).</summary>
    private static readonly string[] IdentityServiceKeys = ["services:identity:https:0", "services:identity:http:0"];

    public static TBuilder AddHiveAuthentication<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        var production = builder.Environment.IsProduction();
        builder.Services.AddOptions<HiveAuthenticationOptions>()
            .BindConfiguration(HiveAuthenticationOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
                options.Authority ??= IdentityServiceKeys.Select(key => configuration[key]).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value)))
            .ValidateDataAnnotations()
            .Validate(
                options => !production || !string.IsNullOrWhiteSpace(options.Authority),
                $"{HiveAuthenticationOptions.SectionName}:Authority (Hive__Auth__Authority) must name the token provider in Production.")
            .Validate(
                options => options.ValidAlgorithms.All(alg => alg is ['R' or 'P' or 'E', ..]),
                $"{HiveAuthenticationOptions.SectionName}:ValidAlgorithms may list only asymmetric algorithms (RS*, PS*, ES*).")
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<HiveAuthenticationOptions>>((jwt, hiveOptions) =>
            {
                var hive = hiveOptions.Value;
                jwt.Authority = hive.Authority;
                jwt.Audience = hive.Audience;
                jwt.RequireHttpsMetadata = hive.RequireHttpsMetadata ?? production;
                jwt.AutomaticRefreshInterval = hive.MetadataRefreshInterval;
                jwt.RefreshInterval = hive.UnknownKeyRefreshInterval;
                jwt.RefreshOnIssuerKeyNotFound = true;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = hive.Issuer,
                    ValidateIssuer = true,
                    ValidAudience = hive.Audience,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidAlgorithms = hive.ValidAlgorithms,
                    ClockSkew = hive.ClockSkew,
                    NameClaimType = HiveClaims.Subject,
                    RoleClaimType = HiveClaims.Role,
                };
                jwt.Events = new JwtBearerEvents
                {
                    OnChallenge = BearerProblems.ChallengeAsync,
                    OnForbidden = BearerProblems.ForbiddenAsync,
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(HivePolicies.Buyer, policy => policy.RequireAuthenticatedUser().RequireRole(HiveRoles.Buyer))
            .AddPolicy(HivePolicies.Seller, policy => policy.RequireAuthenticatedUser().RequireRole(HiveRoles.Seller).RequireClaim(HiveClaims.BusinessId))
            .AddPolicy(HivePolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(HiveRoles.Admin));
        return builder;
    }
}
