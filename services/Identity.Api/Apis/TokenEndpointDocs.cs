using System.Text.Json.Serialization;
using Hive.ServiceDefaults;
using Microsoft.AspNetCore.OpenApi;

namespace Identity.Api.Apis;

/// <summary>
/// The wire shapes of <c>POST /connect/token</c> for the OpenAPI document. OpenIddict reads the form and
/// writes the answers itself (RFC 6749, PKCE per RFC 7636), so no handler binds these records: they exist to
/// describe the protocol to clients, and their names are the protocol's.
/// </summary>
internal static class TokenEndpointDocs
{
    public const string FormContentType = "application/x-www-form-urlencoded";

    public static RouteHandlerBuilder DescribeTokenEndpoint(this RouteHandlerBuilder builder)
        => builder
            .WithName("ExchangeToken")
            .WithSummary("Issues access, refresh and id tokens for an authorization code (with its PKCE verifier) or a refresh token.")
            .WithDescription("The mobile app's sign-in (code + PKCE, then refresh_token). Outside production tools may also use the password "
                             + "and client_credentials grants. Errors are OAuth 2.0 JSON (error, error_description), not ProblemDetails.")
            .Accepts<TokenRequest>(FormContentType)
            .Produces<TokenResponse>(StatusCodes.Status200OK)
            .Produces<TokenError>(StatusCodes.Status400BadRequest)
            .Produces<TokenError>(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    public static void AddExamples(OpenApiOptions options)
    {
        options.AddExample(new TokenRequest(
            "authorization_code", "hive-mobile", Code: "Rk9PQkFSLWF1dGhvcml6YXRpb24tY29kZQ", CodeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            RedirectUri: "hive://signin-callback", RefreshToken: null, Username: null, Password: null, ClientSecret: null, Scope: null));
        options.AddExample(new TokenResponse(
            "eyJhbGciOiJSUzI1NiIsImtpZCI6IjNGQTk2In0.eyJzdWIiOiI3YzJlIiwicm9sZSI6ImJ1eWVyIiwiYXVkIjoiaGl2ZS1hcGkifQ.c2lnbmF0dXJl",
            "Bearer", 900, "openid profile email roles offline_access hive-api",
            RefreshToken: "CfDJ8Kx2vYt0cmVmcmVzaC10b2tlbi1leGFtcGxl",
            IdToken: "eyJhbGciOiJSUzI1NiIsImtpZCI6IjNGQTk2In0.eyJzdWIiOiI3YzJlIiwiYXVkIjoiaGl2ZS1tb2JpbGUifQ.c2lnbmF0dXJl"));
        options.AddExample(new TokenError("invalid_grant", "The sign-in is no longer valid; sign in again.", null));
    }
}

/// <summary>The token request's form fields; which ones a request needs depends on <see cref="GrantType"/>.</summary>
internal sealed record TokenRequest(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("code_verifier")] string? CodeVerifier,
    [property: JsonPropertyName("redirect_uri")] string? RedirectUri,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("client_secret")] string? ClientSecret,
    [property: JsonPropertyName("scope")] string? Scope);

/// <summary>A successful token answer (RFC 6749 §5.1); expires_in is the access token's lifetime in seconds.</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("id_token")] string? IdToken);

/// <summary>A refused token request (RFC 6749 §5.2): invalid_grant, invalid_client (401), invalid_request, unsupported_grant_type...</summary>
internal sealed record TokenError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription,
    [property: JsonPropertyName("error_uri")] string? ErrorUri);
