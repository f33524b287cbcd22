using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hive.Testing;
using Npgsql;

namespace Hive.IntegrationTests;

/// <summary>
/// The fleet as a deployment runs it: environment Production, every secret given as an AppHost parameter
/// (token certificates, cursor keys), nothing seeded unless asked for.
/// </summary>
public sealed class ProductionFleetFixture : FleetFixture
{
    protected override string? EnvironmentName => "Production";

    protected override string[] Arguments =>
    [
        "--Hive:Infrastructure=Executables",
        .. ProductionSecrets.AppHostArguments(),
        .. GenerousRateLimits,
    ];
}

[CollectionDefinition(Name)]
public sealed class ProductionFleetCollection : ICollectionFixture<ProductionFleetFixture>
{
    public const string Name = "production fleet";
}

[Collection(ProductionFleetCollection.Name)]
public sealed class ProductionFleetTests(ProductionFleetFixture fleet)
{
    [Fact]
    public async Task EveryServiceIsHealthyAndTheGatewayIsReady()
    {
        // The fixture waited for every resource's health check; the gateway's readiness includes each service's.
        using var ready = await fleet.Gateway.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task NoDemoDataIsSeeded()
    {
        var page = await fleet.Gateway.GetFromJsonAsync<JsonElement>("/api/catalog/products?pageSize=10");
        var businesses = await ScalarAsync<long>("SELECT count(*) FROM businesses");
        var demoAccounts = await ScalarAsync<long>("SELECT count(*) FROM identity.\"AspNetUsers\" WHERE \"Email\" LIKE '%@hive.test'");

        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
        Assert.Equal(0, businesses);
        Assert.Equal(0, demoAccounts);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("client_credentials")]
    public async Task ThePasswordAndClientCredentialsGrantsAreRefused(string grant)
    {
        using var response = await fleet.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grant, ["client_id"] = "hive-mobile", ["username"] = "someone@example.com", ["password"] = "whatever-it-is",
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ASignedUpBuyerSignsInWithCodeAndPkceAndTheCatalogValidatesTheToken()
    {
        var email = $"buyer-{Guid.NewGuid():N}@example.com";
        const string password = "a-long-enough-password";
        using var registered = await fleet.Gateway.PostAsJsonAsync("/api/identity/register", new { email, password });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        var tokens = await CodeFlow.SignInAsync(fleet.Gateway.BaseAddress!, email, password);
        using var signedIn = fleet.App.CreateHttpClient("gateway");
        signedIn.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        using var forged = fleet.App.CreateHttpClient("gateway");
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ForgedToken(tokens.GetProperty("access_token").GetString()!));
        using var anonymous = fleet.App.CreateHttpClient("gateway");

        using var mine = await signedIn.GetAsync("/api/catalog/orders");
        using var withForged = await forged.GetAsync("/api/catalog/orders");
        using var withNone = await anonymous.GetAsync("/api/catalog/orders");

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(0, (await mine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, withForged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withNone.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/catalog/dev/tokens")]
    [InlineData("GET", "/api/catalog/dev/tokens")]
    public async Task DevelopmentEndpointsAreAbsent(string method, string path)
    {
        using var response = await fleet.Gateway.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { businessId = 1 }) });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EachServiceLogsInToPostgresWithItsOwnRoleAndNoneOwnsTheSchema()
    {
        var roles = new List<string>();
        await using (var connection = new NpgsqlConnection(await OwnerConnectionStringAsync()))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'hive' AND usename LIKE 'hive\\_%' ORDER BY 1", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                roles.Add(reader.GetString(0));
            }
        }

        var ownedByServices = await ScalarAsync<long>(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'identity') AND pg_get_userbyid(c.relowner) IN ('hive_catalog', 'hive_search', 'hive_media', 'hive_metrics', 'hive_identity')");

        Assert.Equal(["hive_catalog", "hive_identity", "hive_media", "hive_metrics", "hive_search"], roles);
        Assert.Equal(0, ownedByServices);
    }

    /// <summary>The same token with its signature replaced: well formed, wrongly signed.</summary>
    private static string ForgedToken(string token)
    {
        var parts = token.Split('.');
        return $"{parts[0]}.{parts[1]}.{Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(256))}";
    }

    private async Task<string> OwnerConnectionStringAsync()
        => await fleet.App.GetConnectionStringAsync("hive") ?? throw new InvalidOperationException("no connection string for hive");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(await OwnerConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
