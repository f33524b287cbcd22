using System.Globalization;
using Identity.Api.Data;
using Identity.Api.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Seeding;

/// <summary>
/// Before the service takes traffic: the three roles, the OpenID clients as this environment allows them,
/// and (when a demo password is configured) the demo accounts. Idempotent: safe on every start and replica.
/// </summary>
internal sealed partial class IdentitySeeder(
    IServiceScopeFactory scopes,
    IOptions<IdentityServiceOptions> options,
    IHostEnvironment environment,
    NpgsqlDataSource dataSource,
    ILogger<IdentitySeeder> logger) : IHostedService
{
    public const string MobileClientId = "hive-mobile";
    public const string ToolsClientId = "hive-tools";
    public const string AdminEmail = "admin@hive.test";

    public static string SellerEmail(long businessId) => string.Create(CultureInfo.InvariantCulture, $"seller-{businessId}@hive.test");

    public static string BuyerEmail(int number) => string.Create(CultureInfo.InvariantCulture, $"buyer-{number}@hive.test");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await EnsureRolesAsync(services.GetRequiredService<RoleManager<IdentityRole>>());
        await EnsureClientsAsync(services.GetRequiredService<IOpenIddictApplicationManager>(), cancellationToken);
        if (options.Value.DemoPassword is { Length: > 0 } password)
        {
            await EnsureDemoUsersAsync(services.GetRequiredService<UserManager<HiveUser>>(), password, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task EnsureRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in HiveRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
            }
        }
    }

    private async Task EnsureClientsAsync(IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        var production = environment.IsProduction();
        var mobile = new OpenIddictApplicationDescriptor
        {
            ClientId = MobileClientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Native,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Hive mobile app",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Roles,
                Permissions.Prefixes.Scope + HiveClaims.Audience,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in options.Value.MobileRedirectUris)
        {
            mobile.RedirectUris.Add(new Uri(uri));
            mobile.PostLogoutRedirectUris.Add(new Uri(uri));
        }

        if (!production)
        {
            // Tests and tools sign in as a user without a browser; never offered in Production.
            mobile.Permissions.Add(Permissions.GrantTypes.Password);
        }

        await UpsertAsync(applications, mobile, cancellationToken);

        if (!production && options.Value.ToolsClientSecret is { Length: > 0 } secret)
        {
            await UpsertAsync(applications, new OpenIddictApplicationDescriptor
            {
                ClientId = ToolsClientId,
                ClientSecret = secret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "Hive tools",
                Permissions =
                {
                    Permissions.Endpoints.Token,
                    Permissions.GrantTypes.ClientCredentials,
                    Permissions.Prefixes.Scope + HiveClaims.Audience,
                },
            }, cancellationToken);
        }
        else if (await applications.FindByClientIdAsync(ToolsClientId, cancellationToken) is { } tools)
        {
            await applications.DeleteAsync(tools, cancellationToken);
        }
    }

    private static async Task UpsertAsync(IOpenIddictApplicationManager applications, OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken) is { } existing)
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
        else
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
    }

    private async Task EnsureDemoUsersAsync(UserManager<HiveUser> users, string password, CancellationToken cancellationToken)
    {
        var policy = await users.PasswordValidators.First().ValidateAsync(users, new HiveUser(), password);
        Check(policy, "the demo password");

        // One hash for every demo account: hashing is deliberately slow, and fifty sellers would take a minute.
        var hash = users.PasswordHasher.HashPassword(new HiveUser(), password);
        var created = 0;
        created += await EnsureUserAsync(users, AdminEmail, hash, HiveRoles.Admin, null);
        await foreach (var businessId in BusinessIdsAsync(cancellationToken))
        {
            created += await EnsureUserAsync(users, SellerEmail(businessId), hash, HiveRoles.Seller, businessId);
        }

        for (var number = 1; number <= 3; number++)
        {
            created += await EnsureUserAsync(users, BuyerEmail(number), hash, HiveRoles.Buyer, null);
        }

        LogDemoUsers(logger, created, AdminEmail);
    }

    private async IAsyncEnumerable<long> BusinessIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Demo sellers stay few: one per business of the demo data, at most 200 even on a large seed.
        await using var command = dataSource.CreateCommand("SELECT id FROM public.businesses ORDER BY id LIMIT 200");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return reader.GetInt64(0);
        }
    }

    private static async Task<int> EnsureUserAsync(UserManager<HiveUser> users, string email, string passwordHash, string role, long? businessId)
    {
        if (await users.FindByEmailAsync(email) is not null)
        {
            return 0;
        }

        var user = new HiveUser { UserName = email, Email = email, EmailConfirmed = true, BusinessId = businessId, PasswordHash = passwordHash };
        Check(await users.CreateAsync(user), email);
        Check(await users.AddToRoleAsync(user, role), email);
        return 1;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo accounts ready ({Created} created): admin {Admin}, seller-<businessId>@hive.test, buyer-1..3@hive.test")]
    private static partial void LogDemoUsers(ILogger logger, int created, string admin);
}
