using System.Security.Claims;
using Identity.Api.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Apis;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to us (it has already validated the protocol:
/// client, redirect URI, PKCE, grant type): authorize, token, userinfo and end session.
/// </summary>
public static class ConnectApi
{
    /// <summary>One answer for a wrong password, an unknown user and a locked account, so none can be told apart.</summary>
    public const string BadCredentials = "The username or password is wrong.";

    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        // The API document describes the token endpoint, which apps call; the browser-facing ones are in the
        // discovery document (/.well-known/openid-configuration), where OIDC clients look for them.
        var connect = app.MapGroup("/connect").WithTags("OpenID Connect");
        connect.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], Authorize).DisableAntiforgery().ExcludeFromDescription();
        connect.MapPost("/token", Exchange).DisableAntiforgery().DescribeTokenEndpoint();
        connect.MapMethods("/userinfo", [HttpMethods.Get, HttpMethods.Post], UserInfo).DisableAntiforgery().ExcludeFromDescription()
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser());
        connect.MapMethods("/endsession", [HttpMethods.Get, HttpMethods.Post], EndSession).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    internal static async Task<IResult> Authorize(HttpContext http, UserManager<HiveUser> users, TokenPrincipals principals)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal) : null;
        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back to this very request after the login form; prompt=login is dropped so it does not loop.
            var parameters = (http.Request.HasFormContentType ? http.Request.Form.ToList() : http.Request.Query.ToList())
                .Where(p => p.Key != Parameters.Prompt)
                .Select(p => KeyValuePair.Create(p.Key, p.Value.ToString()));
            if (request.HasPromptValue(PromptValues.Login))
            {
                await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            }

            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters!) },
                [IdentityConstants.ApplicationScheme]);
        }

        // First-party app, implicit consent: no consent screen.
        var principal = await principals.CreateAsync(user, request.GetScopes());
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    internal static async Task<IResult> Exchange(
        HttpContext http, UserManager<HiveUser> users, SignInManager<HiveUser> signIn, Credentials credentials, TokenPrincipals principals)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");

        if (request.IsPasswordGrantType())
        {
            return await credentials.CheckAsync(request.Username, request.Password) is { } user
                ? Results.SignIn(await principals.CreateAsync(user, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Refuse(Errors.InvalidGrant, BadCredentials);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var grant = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = grant.Principal?.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
            if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
            {
                return Refuse(Errors.InvalidGrant, "The sign-in is no longer valid; sign in again.");
            }

            return Results.SignIn(await principals.CreateAsync(user, grant.Principal!.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsClientCredentialsGrantType())
        {
            return Results.SignIn(TokenPrincipals.CreateForClient(request.ClientId!, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    internal static async Task<IResult> UserInfo(ClaimsPrincipal caller, UserManager<HiveUser> users)
    {
        var user = caller.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
        if (user is null)
        {
            return Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictValidationAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictValidationAspNetCoreConstants.Properties.ErrorDescription] = "The user no longer exists.",
                }),
                [OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme]);
        }

        var claims = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [Claims.Subject] = user.Id,
            [Claims.Name] = user.UserName,
            [Claims.Role] = await users.GetRolesAsync(user),
        };
        if (caller.HasScope(Scopes.Email))
        {
            claims[Claims.Email] = user.Email;
            claims[Claims.EmailVerified] = user.EmailConfirmed;
        }

        if (user.BusinessId is { } businessId)
        {
            claims[HiveClaims.BusinessId] = businessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Results.Ok(claims);
    }

    internal static async Task<IResult> EndSession(SignInManager<HiveUser> signIn)
    {
        await signIn.SignOutAsync();
        // OpenIddict redirects to the validated post_logout_redirect_uri (or answers 200 without one).
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
