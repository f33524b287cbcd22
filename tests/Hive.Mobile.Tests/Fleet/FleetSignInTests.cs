using Hive.Mobile.Auth;
using Hive.Mobile.Models;
using Hive.Mobile.Tests.Auth;
using Npgsql;

namespace Hive.Mobile.Tests.Fleet;

/// <summary>
/// The SDK's sign-in against the fleet's own identity service (OpenIddict) through the gateway: authorization
/// code with PKCE through the real sign-in form, a refresh before expiry, and an order with the token.
/// </summary>
[Collection(MobileFleetCollection.Name)]
public sealed class FleetSignInTests(MobileFleetFixture fleet) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _data = MobileClients.NewDataDirectory();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task ABuyerSignsInWithCodeAndPkceAtTheFleetsIdentityRefreshesAndOrdersThroughTheGateway()
    {
        var (productId, _, _) = await MobileClients.ActiveProductAsync(fleet.Direct, skip: 9);
        var clock = new ShiftedClock();
        var browser = new LoginFormBrowser("buyer-2@hive.test", MobileFleetFixture.DemoPassword);
        await using var client = MobileClients.Create(fleet.Gateway, _data, configure: o => o.TimeProvider = clock);
        var signIn = client.UseSignIn(new SignInOptions
        {
            // RFC 8252: identity registers http://127.0.0.1/callback, and a desktop app listens on any port.
            RedirectUri = "http://127.0.0.1:53817/callback",
            AllowHttp = true,
            Browser = browser,
            TokenStore = new FileTokenStore(Path.Combine(_data, "tokens.json")),
        });

        var tokens = await signIn.SignInAsync();

        Assert.Equal(1, browser.FormsSubmitted);
        Assert.NotNull(tokens.RefreshToken);
        Assert.Equal(tokens.UserId, JwtPayload.Subject(tokens.AccessToken));
        Assert.InRange(tokens.AccessTokenExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), TimeSpan.FromHours(2));

        // Close to expiry (the clock moved on), the next request's token comes from a refresh at identity.
        clock.Offset = tokens.AccessTokenExpiresAt - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(30);
        var refreshed = await signIn.GetAccessTokenAsync(CancellationToken.None);
        clock.Offset = TimeSpan.Zero;
        Assert.Equal(1, signIn.Refreshes);
        Assert.NotNull(refreshed);
        Assert.NotEqual(tokens.AccessToken, refreshed);
        Assert.Equal(tokens.UserId, JwtPayload.Subject(refreshed));

        var queued = await client.Orders.PlaceAsync(new OrderRequest("Amina Test", "+254712000300", "Mombasa", [new OrderLineRequest(productId, 1)]));
        var outcome = await client.Orders.Queue.WhenFinishedAsync(queued.IdempotencyKey).WaitAsync(Deadline);

        Assert.True(outcome.Placed, $"refused: {outcome.Problem?.Status} {outcome.Problem?.Detail}");
        Assert.Equal(1, signIn.Refreshes);
        Assert.Equal(tokens.UserId, await BuyerOfAsync(queued.IdempotencyKey));
        var mine = await client.Orders.MineAsync();
        Assert.Equal(outcome.Order!.Id, mine.Value.Items[0].Id);
        Assert.Equal(outcome.Order, (await client.Orders.OrderAsync(outcome.Order.Id)).Value with { Lines = outcome.Order.Lines });
    }

    [Fact]
    public async Task ADesktopAppSignsInThroughItsLoopbackListener()
    {
        await using var client = MobileClients.Create(fleet.Gateway, _data);
        var person = new LoginFormBrowser("buyer-1@hive.test", MobileFleetFixture.DemoPassword);
        LoopbackBrowser loopback = null!;
        // The "system browser": the person signs in on the form, then the browser follows the last redirect to the app.
        loopback = new LoopbackBrowser(async (url, cancellationToken) =>
        {
            var result = await person.InvokeAsync(new Duende.IdentityModel.OidcClient.Browser.BrowserOptions(url, loopback.RedirectUri), cancellationToken);
            Assert.True(result.ResultType == Duende.IdentityModel.OidcClient.Browser.BrowserResultType.Success, result.Error);
            using var http = new HttpClient();
            Assert.Contains("Signed in", await http.GetStringAsync(result.Response, cancellationToken), StringComparison.Ordinal);
        });
        var signIn = client.UseSignIn(new SignInOptions
        {
            RedirectUri = loopback.RedirectUri,
            AllowHttp = true,
            Browser = loopback,
            TokenStore = new FileTokenStore(Path.Combine(_data, "tokens.json")),
        });

        var tokens = await signIn.SignInAsync();

        Assert.Equal(tokens.UserId, JwtPayload.Subject(tokens.AccessToken));
        Assert.Equal(1, person.FormsSubmitted);
        Assert.NotNull((await client.Orders.MineAsync()).Value.Items);
    }

    [Fact]
    public async Task AWrongPasswordOnTheSignInFormIsASignInFailureAndNoTokenIsKept()
    {
        await using var client = MobileClients.Create(fleet.Gateway, _data);
        var signIn = client.UseSignIn(new SignInOptions
        {
            RedirectUri = "http://127.0.0.1:53818/callback",
            AllowHttp = true,
            Browser = new LoginFormBrowser("nobody@hive.test", "not-the-password"),
            TokenStore = new FileTokenStore(Path.Combine(_data, "tokens.json")),
        });

        await Assert.ThrowsAsync<SignInException>(() => signIn.SignInAsync());

        Assert.False(signIn.IsSignedIn);
        Assert.False(File.Exists(Path.Combine(_data, "tokens.json")));
    }

    private async Task<string?> BuyerOfAsync(string idempotencyKey)
    {
        await using var connection = await fleet.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT buyer_id FROM orders WHERE idempotency_key = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = idempotencyKey });
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>The wall clock moved by <see cref="Offset"/>: a token's expiry arrives without waiting for it.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
