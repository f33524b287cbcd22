using System.Security.Cryptography.X509Certificates;
using Identity.Api.Apis;
using Identity.Api.Data;
using Identity.Api.Seeding;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Hosting;

internal static class IdentityHosting
{
    public const string LoginPath = "/connect/login";

    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(IdentityServiceOptions.SectionName).Get<IdentityServiceOptions>() ?? new();
        builder.Services.AddOptions<IdentityServiceOptions>()
            .BindConfiguration(IdentityServiceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddNpgsqlDataSource("hive", configureDataSourceBuilder: dataSource => DatabaseExtensions.ApplyPooling(dataSource.ConnectionStringBuilder));
        builder.Services.AddDbContext<IdentityDb>((services, options) =>
        {
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>());
            options.UseOpenIddict();
        });

        // One key ring for every replica (KeyRingDb), named so other apps' keys in a shared store never mix in.
        builder.Services.AddDbContext<KeyRingDb>((services, options) => options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddDataProtection()
            .SetApplicationName("hive-identity")
            .PersistKeysToDbContext<KeyRingDb>();

        builder.Services.AddIdentity<HiveUser, IdentityRole>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.Password.RequiredLength = 10;
                // Length over composition rules (NIST SP 800-63B).
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Lockout.AllowedForNewUsers = true;
                identity.Lockout.MaxFailedAccessAttempts = settings.MaxFailedAccessAttempts;
                identity.Lockout.DefaultLockoutTimeSpan = settings.LockoutDuration;
                // OpenIddict's claim names, so the principal built at sign-in maps straight into tokens.
                identity.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                identity.ClaimsIdentity.UserNameClaimType = Claims.Name;
                identity.ClaimsIdentity.RoleClaimType = Claims.Role;
                identity.ClaimsIdentity.EmailClaimType = Claims.Email;
            })
            .AddEntityFrameworkStores<IdentityDb>()
            .AddDefaultTokenProviders();
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = LoginPath;
            cookie.Cookie.Name = "hive.identity";
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
        });

        builder.AddOpenIddict(settings);
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery();
        builder.Services.AddScoped<Credentials>();
        builder.Services.AddScoped<TokenPrincipals>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<IdentitySeeder>();
        builder.Services.AddHostedService<TokenPruning>();
    }

    /// <summary>
    /// Through the gateway the service must see the public host and scheme (login redirects, discovery
    /// URLs); X-Forwarded-* is honoured only from trusted proxies (by default the loopback gateway).
    /// </summary>
    public static WebApplication UseForwardedHeadersFromGateway(this WebApplication app)
    {
        app.UseForwardedHeaders(new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedHost | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
        });
        return app;
    }

    private static void AddOpenIddict(this WebApplicationBuilder builder, IdentityServiceOptions settings)
    {
        var production = builder.Environment.IsProduction();
        var signing = production ? LoadCertificate(settings.SigningCertificate, settings.SigningCertificatePassword, "SigningCertificate") : null;
        var encryption = production ? LoadCertificate(settings.EncryptionCertificate, settings.EncryptionCertificatePassword, "EncryptionCertificate") : null;

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(server =>
            {
                if (settings.Issuer is not null)
                {
                    server.SetIssuer(settings.Issuer);
                }

                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetConfigurationEndpointUris(".well-known/openid-configuration")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks");

                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowRefreshTokenFlow();
                if (!production)
                {
                    // Tests and tools only: the password grant is legacy and client credentials serve no user.
                    server.AllowPasswordFlow().AllowClientCredentialsFlow();
                }

                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess, HiveClaims.Audience);
                server.SetAccessTokenLifetime(settings.AccessTokenLifetime)
                    .SetRefreshTokenLifetime(settings.RefreshTokenLifetime);

                // Plain signed JWTs, so any service (or another provider's validators) can check them from discovery.
                server.DisableAccessTokenEncryption();
                if (production)
                {
                    server.AddSigningCertificate(signing!).AddEncryptionCertificate(encryption!);
                }
                else
                {
                    server.AddDevelopmentEncryptionCertificate().AddDevelopmentSigningCertificate();
                }

                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // TLS ends at the gateway or the ingress in front of it; the fleet talks plain HTTP inside.
                    .DisableTransportSecurityRequirement();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                // 7.8.0 advisory GHSA-cxgj-hwwh-855g: validate token entries alongside authorization entries.
                validation.EnableAuthorizationEntryValidation().EnableTokenEntryValidation();
                validation.UseAspNetCore();
            });
    }

    /// <summary>Loads a PFX from configuration, refusing to start when Production has none.</summary>
    private static X509Certificate2 LoadCertificate(string? base64, string? password, string name)
    {
        var setting = $"{IdentityServiceOptions.SectionName}:{name}";
        if (string.IsNullOrWhiteSpace(base64))
        {
            throw new InvalidOperationException(
                $"{setting} (environment Identity__{name}) is required in Production: a base64 PKCS#12 certificate with its private key.");
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(base64), password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"{setting} is not a base64 PKCS#12 certificate that opens with its password: {ex.Message}", ex);
        }
    }
}
