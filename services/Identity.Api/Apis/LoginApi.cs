using System.Text.Encodings.Web;
using Hive.ServiceDefaults;
using Identity.Api.Data;
using Identity.Api.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Identity.Api.Apis;

/// <summary>
/// The sign-in page the authorization endpoint sends a browser to: a plain server-rendered form (no
/// scripts), so a system browser, an embedded web view or a test's HttpClient can all drive it.
/// </summary>
public static class LoginApi
{
    public static IEndpointRouteBuilder MapLoginApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(IdentityHosting.LoginPath, ShowForm).ExcludeFromDescription();
        app.MapPost(IdentityHosting.LoginPath, SignIn).ExcludeFromDescription();
        app.MapGet(IdentityHosting.LoginPath + "/done", () => Results.Content(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Hive</title></head><body><p>You are signed in to Hive.</p></body></html>",
            "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

    internal static IResult ShowForm(HttpContext http, IAntiforgery antiforgery, [FromQuery(Name = "ReturnUrl")] string? returnUrl)
        => Page(http, antiforgery, SafeReturnUrl(returnUrl), userName: null, error: null);

    internal static async Task<IResult> SignIn(
        HttpContext http,
        IAntiforgery antiforgery,
        Credentials credentials,
        SignInManager<HiveUser> signIn,
        [FromForm(Name = "username")] string? userName,
        [FromForm(Name = "password")] string? password,
        [FromForm(Name = "returnUrl")] string? returnUrl)
    {
        var target = SafeReturnUrl(returnUrl);
        if (await credentials.CheckAsync(userName, password) is not { } user)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page(http, antiforgery, target, userName, ConnectApi.BadCredentials);
        }

        await signIn.SignInAsync(user, isPersistent: false);
        return Results.LocalRedirect(target);
    }

    /// <summary>Only a path on this server (the authorization request); anything else would make the form an open redirect.</summary>
    private static string SafeReturnUrl(string? returnUrl)
        => returnUrl is { Length: > 1 } url && url[0] == '/' && url[1] is not '/' and not '\\' ? url : "/connect/login/done";

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? userName, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var html = HtmlEncoder.Default;
        var message = error is null ? string.Empty : $"<p role=\"alert\" class=\"error\">{html.Encode(error)}</p>";
        http.Response.Headers.CacheControl = CachePolicies.NoStore;
        http.Response.Headers["X-Frame-Options"] = "DENY";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        return Results.Content(
            $$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in to Hive</title>
            <style>body{font-family:sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.4rem 0}input,button{padding:.6rem;font-size:1rem}.error{color:#b00020}</style></head>
            <body>
            <h1>Sign in to Hive</h1>
            {{message}}
            <form method="post" action="{{html.Encode(http.Request.PathBase + IdentityHosting.LoginPath)}}">
              <input type="hidden" name="{{html.Encode(tokens.FormFieldName)}}" value="{{html.Encode(tokens.RequestToken ?? string.Empty)}}">
              <input type="hidden" name="returnUrl" value="{{html.Encode(returnUrl)}}">
              <label for="username">Email</label>
              <input id="username" name="username" type="email" autocomplete="username" required value="{{html.Encode(userName ?? string.Empty)}}">
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required>
              <button type="submit">Sign in</button>
            </form>
            </body>
            </html>
            """,
            "text/html; charset=utf-8");
    }
}
