using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Hive.ServiceDefaults;

/// <summary>
/// 401 and 403 answers as ProblemDetails that say what was wrong with the token (never which key or
/// which internal setting), so a client developer can fix the call without reading server logs.
/// </summary>
internal static class BearerProblems
{
    public static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var failure = context.AuthenticateFailure;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication is required.", Describe(failure));
    }

    public static Task ForbiddenAsync(ForbiddenContext context)
        => WriteAsync(
            context.HttpContext,
            StatusCodes.Status403Forbidden,
            "Not allowed.",
            "Your token is valid but does not carry the role (or business) this operation needs.");

    private static async Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static string Describe(Exception? failure) => failure switch
    {
        null => "Send a bearer access token (Authorization: Bearer ...) from the Hive identity service.",
        SecurityTokenExpiredException => "The access token has expired; refresh it or sign in again.",
        SecurityTokenNotYetValidException => "The access token is not valid yet (nbf is in the future).",
        SecurityTokenInvalidAudienceException => "The access token was not issued for this API (wrong audience).",
        SecurityTokenInvalidIssuerException => "The access token was not issued by the trusted identity provider (wrong issuer).",
        SecurityTokenInvalidAlgorithmException => "The access token is signed with an algorithm this API does not accept.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The access token's signature is not valid.",
        SecurityTokenNoExpirationException => "The access token has no expiry.",
        _ => "The access token is not valid.",
    };
}
