using System.Security.Cryptography;
using System.Text;
using Catalog.Api.Auth;
using Catalog.Api.Caching;
using Catalog.Api.Data;
using Catalog.Api.Images;
using Catalog.Api.Orders;
using Catalog.Api.Outbox;
using Hive.Messaging;
using Hive.Caching;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Catalog.Api.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("hive");
        builder.AddRedisClient("redis");
        builder.AddHiveCaching("catalog");

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProductQueries>();
        builder.Services.AddSingleton<ProductCommands>();
        builder.Services.AddSingleton<CatalogCache>();
        builder.Services.AddSingleton<OrderService>();

        builder.AddProductChangeConsumer<CatalogProductChangeHandler>(
            "catalog",
            bus => bus.AddConsumer<ProductImageConsumer>(),
            ProductImageConsumer.Endpoint);
        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<OutboxDispatcher>();

        builder.AddSellerAuthentication();
    }

    private static void AddSellerAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CatalogAuthOptions>()
            .BindConfiguration(CatalogAuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DevTokenIssuer>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CatalogAuthOptions>>().Value;
            var secret = options.CursorKey ?? "cursor:" + options.SigningKey;
            return new CursorKey(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        });

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<CatalogAuthOptions>>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = CatalogAuthOptions.Issuer,
                    ValidAudience = CatalogAuthOptions.Audience,
                    IssuerSigningKey = DevTokenIssuer.SigningKey(auth.Value),
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        builder.Services.AddAuthorization();
    }
}
