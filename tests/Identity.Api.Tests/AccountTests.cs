using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Identity.Api.Tests;

[Collection(IdentityCollection.Name)]
public sealed class AccountTests(IdentityFixture identity)
{
    [Fact]
    public async Task TwentyWrongPasswordsLockTheAccountAndTheLockedAnswerLooksLikeAWrongPassword()
    {
        using var http = identity.CreateBrowser();
        const string email = "lockme@hive.test", password = "correct-horse-battery";
        using (var registered = await http.PostAsJsonAsync("/api/identity/register", new { email, password }))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var wrongAnswers = new List<string>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var (status, body) = await OidcClient.PasswordGrantAsync(http, email, "wrong-password-" + attempt);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            wrongAnswers.Add(body.GetRawText());
        }

        var (lockedStatus, locked) = await OidcClient.PasswordGrantAsync(http, email, password);
        var (unknownStatus, unknown) = await OidcClient.PasswordGrantAsync(http, "nobody@hive.test", password);

        Assert.Equal(HttpStatusCode.BadRequest, lockedStatus);
        Assert.Single(wrongAnswers.Append(locked.GetRawText()).Append(unknown.GetRawText()).Distinct());
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus);
        Assert.Equal("invalid_grant", locked.GetProperty("error").GetString());
        var lockoutEnd = (DateTime)(await identity.ScalarAsync("""SELECT "LockoutEnd" FROM identity."AspNetUsers" WHERE "NormalizedEmail" = $1""", email.ToUpperInvariant()))!;
        Assert.InRange(lockoutEnd, DateTime.UtcNow.AddMinutes(10), DateTime.UtcNow.AddMinutes(16));

        // Lockout over: the right password works again.
        await identity.ExecuteAsync("""UPDATE identity."AspNetUsers" SET "LockoutEnd" = now() - interval '1 second' WHERE "NormalizedEmail" = $1""", email.ToUpperInvariant());
        var (afterStatus, _) = await OidcClient.PasswordGrantAsync(http, email, password);
        Assert.Equal(HttpStatusCode.OK, afterStatus);
    }

    [Fact]
    public async Task TheLoginFormGivesTheSameAnswerForAWrongPasswordAndAnUnknownUser()
    {
        using var browser = identity.CreateBrowser();
        var login = new Uri(identity.BaseAddress, "/connect/login");

        using var wrong = await OidcClient.SubmitLoginFormAsync(browser, login, "buyer-3@hive.test", "not-the-password");
        using var unknown = await OidcClient.SubmitLoginFormAsync(browser, login, "ghost@hive.test", "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Contains("The username or password is wrong.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("The username or password is wrong.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABuyerRegistersAndGetsABuyerToken()
    {
        using var http = identity.CreateBrowser();

        using var registered = await http.PostAsJsonAsync("/api/identity/register", new { email = "amina@hive.test", password = "mango-season-2026" });
        var (status, tokens) = await OidcClient.PasswordGrantAsync(http, "amina@hive.test", "mango-season-2026");

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
        var claims = OidcClient.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(["buyer"], SignInTests.Roles(claims));
        Assert.False(claims.TryGetProperty("business_id", out _));
    }

    [Theory]
    [InlineData("{\"email\":\"not-an-email\",\"password\":\"long-enough-1\"}", "email")]
    [InlineData("{\"email\":\"short@hive.test\",\"password\":\"short\"}", "password")]
    [InlineData("{\"email\":\"nopass@hive.test\"}", "password")]
    [InlineData("{\"email\":[\"two@hive.test\"],\"password\":\"long-enough-1\"}", "email")]
    [InlineData("{\"email\":\"broken@hive.test\",", "body")]
    [InlineData("", "body")]
    public async Task ABadRegistrationIsA400NamingTheField(string body, string field)
    {
        using var http = identity.CreateBrowser();

        using var response = await http.PostAsync("/api/identity/register", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("One or more validation errors occurred.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ATakenEmailIsA409()
    {
        using var http = identity.CreateBrowser();

        using var response = await http.PostAsJsonAsync("/api/identity/register", new { email = "buyer-1@hive.test", password = "another-password-1" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task OnlyAnAdminCreatesASellerForAnExistingBusiness()
    {
        using var admin = await SignedInAsync("admin@hive.test");
        using var buyer = await SignedInAsync("buyer-1@hive.test");
        var seller = new { email = "new-seller@hive.test", password = "sells-tomatoes-1", businessId = 2 };

        using var byBuyer = await buyer.PostAsJsonAsync("/api/identity/sellers", seller);
        using var noBusiness = await admin.PostAsJsonAsync("/api/identity/sellers", seller with { businessId = 999 });
        using var byAdmin = await admin.PostAsJsonAsync("/api/identity/sellers", seller);

        Assert.Equal(HttpStatusCode.Forbidden, byBuyer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noBusiness.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        var (_, tokens) = await OidcClient.PasswordGrantAsync(admin, seller.email, seller.password);
        Assert.Equal("2", OidcClient.Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("business_id").GetString());
    }

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var http = identity.CreateBrowser();
        var (status, tokens) = await OidcClient.PasswordGrantAsync(http, email, IdentityFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, status);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        return http;
    }
}
