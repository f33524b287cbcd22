using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Identity.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OpenApi;
using Npgsql;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Hive.ServiceDefaults;

namespace Identity.Api.Apis;

/// <summary>Accounts under <c>/api/identity</c>: buyers register themselves, admins create sellers for a business, anyone signed in reads who they are.</summary>
public static class AccountsApi
{
    private const string NoToken = "No valid access token was sent; WWW-Authenticate says why.";

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        // Every route passes the gateway's rate limit. OpenIddict's validation answers 401 and 403 with a bare
        // status, which the ProblemDetails pipeline turns into a problem without a detail (WWW-Authenticate says why).
        var api = app.MapGroup("/api/identity").WithTags("Accounts").DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/register", Register).WithName("RegisterBuyer")
            .WithSummary("Creates a buyer account; the buyer then signs in through /connect/authorize.")
            .WithValidationExample("password", "Passwords must be at least 10 characters.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithProblemExample(StatusCodes.Status409Conflict, "Email taken", "An account with this email already exists.");
        api.MapGet("/me", Me).WithName("GetMe")
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme).RequireAuthenticatedUser())
            .WithSummary("The signed-in account: id, email, roles and, for a seller, its business.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithProblemExample(StatusCodes.Status401Unauthorized, "Unauthorized", null, NoToken)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithProblemExample(StatusCodes.Status404NotFound, "Not Found", null, "The token is valid but its account no longer exists.");
        api.MapPost("/sellers", CreateSeller).WithName("CreateSeller")
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme).RequireRole(HiveRoles.Admin))
            .WithSummary("Creates a seller account bound to an existing business (admins only).")
            .WithValidationExample("businessId", "No business has id 3.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithProblemExample(StatusCodes.Status401Unauthorized, "Unauthorized", null, NoToken)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithProblemExample(StatusCodes.Status403Forbidden, "Forbidden", null, "The token is valid but not an admin's.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithProblemExample(StatusCodes.Status409Conflict, "Email taken", "An account with this email already exists.");
        return app;
    }

    public static async Task<Results<Created<Account>, ValidationProblem, ProblemHttpResult>> Register(RegisterInput input, UserManager<HiveUser> users)
        => await CreateAsync(users, input.Email, input.Password, HiveRoles.Buyer, businessId: null);

    public static async Task<Results<Created<Account>, ValidationProblem, ProblemHttpResult>> CreateSeller(
        SellerInput input, UserManager<HiveUser> users, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (input.BusinessId is not > 0)
        {
            return ValidationErrors.Problem("businessId", "businessId must be the id of an existing business.");
        }

        await using var command = dataSource.CreateCommand("SELECT 1 FROM public.businesses WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = input.BusinessId.Value });
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            return ValidationErrors.Problem("businessId", $"No business has id {input.BusinessId}.");
        }

        return await CreateAsync(users, input.Email, input.Password, HiveRoles.Seller, input.BusinessId);
    }

    public static async Task<Results<Ok<Account>, NotFound>> Me(ClaimsPrincipal caller, UserManager<HiveUser> users)
    {
        var user = caller.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(await AccountOf(users, user));
    }

    private static async Task<Results<Created<Account>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        UserManager<HiveUser> users, string? email, string? password, string role, long? businessId)
    {
        if (string.IsNullOrWhiteSpace(email) || !new EmailAddressAttribute().IsValid(email) || email.Length > 254)
        {
            return ValidationErrors.Problem("email", "email must be an email address (at most 254 characters).");
        }

        if (string.IsNullOrEmpty(password))
        {
            return ValidationErrors.Problem("password", "password is required.");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Email taken", detail: "An account with this email already exists.");
        }

        var user = new HiveUser { UserName = email.Trim(), Email = email.Trim(), BusinessId = businessId };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            var field = created.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "email";
            return ValidationErrors.Problem(field, string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        var roleAdded = await users.AddToRoleAsync(user, role);
        if (!roleAdded.Succeeded)
        {
            throw new InvalidOperationException($"Role {role} could not be given: {string.Join("; ", roleAdded.Errors.Select(e => e.Description))}");
        }

        return TypedResults.Created($"/api/identity/me", await AccountOf(users, user));
    }

    private static async Task<Account> AccountOf(UserManager<HiveUser> users, HiveUser user)
        => new(user.Id, user.Email!, [.. await users.GetRolesAsync(user)], user.BusinessId?.ToString(CultureInfo.InvariantCulture));
}

public sealed record RegisterInput(string? Email, string? Password);

public sealed record SellerInput(string? Email, string? Password, long? BusinessId);

public sealed record Account(string Id, string Email, IReadOnlyList<string> Roles, string? BusinessId);

/// <summary>The examples in identity's OpenAPI document, from the real records (the document test validates them).</summary>
internal static class AccountExamples
{
    public static void Add(OpenApiOptions options)
    {
        options.AddExample(new RegisterInput("wanjiru@example.com", "a long passphrase of words"));
        options.AddExample(new SellerInput("sales@nyeri-weavers.example", "another long passphrase", 3));
        options.AddExample(new Account("7c2e4f0a-51d9-4b8e-9a63-0f4d2b1c8e55", "sales@nyeri-weavers.example", [HiveRoles.Seller], "3"));
        TokenEndpointDocs.AddExamples(options);
    }
}
