using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using Catalog.Api.Auth;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Catalog.Api.Tests;

/// <summary>
/// Access tokens as the identity service will issue them (<c>sub</c>, <c>role</c>, <c>business_id</c>),
/// signed with the catalog's configured key. The one place tests make tokens: when the identity
/// service lands, only this file changes.
/// </summary>
public static class TestTokens
{
    public static string Mint(WebApplicationFactory<Program> factory, string subject, string[] roles, long? businessId = null)
    {
        var settings = factory.Services.GetRequiredService<IOptions<CatalogAuthOptions>>().Value;
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, subject) };
        claims.AddRange(roles.Select(role => new Claim(CatalogAuthOptions.RoleClaim, role)));
        if (businessId is { } id)
        {
            claims.Add(new Claim(CatalogAuthOptions.BusinessClaim, id.ToString(CultureInfo.InvariantCulture)));
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = CatalogAuthOptions.Issuer,
            Audience = CatalogAuthOptions.Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now,
            IssuedAt = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(DevTokenIssuer.SigningKey(settings), SecurityAlgorithms.HmacSha256),
        });
    }

    public static HttpClient Buyer(WebApplicationFactory<Program> factory, string? buyerId = null)
        => With(factory.CreateClient(), Mint(factory, buyerId ?? "buyer-" + Guid.NewGuid().ToString("N"), [CatalogRoles.Buyer]));

    public static HttpClient Seller(WebApplicationFactory<Program> factory, long businessId)
        => With(factory.CreateClient(), Mint(factory, $"seller-{businessId}", [CatalogRoles.Seller], businessId));

    public static HttpClient Admin(WebApplicationFactory<Program> factory)
        => With(factory.CreateClient(), Mint(factory, "admin-1", [CatalogRoles.Admin]));

    private static HttpClient With(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
