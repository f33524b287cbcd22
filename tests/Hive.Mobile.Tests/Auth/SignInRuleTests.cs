using Duende.IdentityModel.OidcClient.Browser;
using Hive.Mobile.Auth;
using Hive.Mobile.Caching;
using Hive.Mobile.Models;
using Hive.Mobile.Tests.Fleet;
using Hive.Mobile.Tests.Http;
using Microsoft.Extensions.Time.Testing;

namespace Hive.Mobile.Tests.Auth;

/// <summary>
/// The sign-in rules an app relies on beyond the happy path: the password grant and what its refusals say,
/// a provider that cannot be found, a second user on the same phone, a saved sign-in across runs, refreshes
/// that keep what the server did not renew, and the exact moment a token is refreshed. The provider is a
/// loopback OpenID Connect server with the identity service's contract (see <see cref="LoopbackIdentityProvider"/>).
/// </summary>
public sealed class SignInRuleTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _data = MobileClients.NewDataDirectory();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private LoopbackIdentityProvider _provider = null!;

    private string TokenFile => Path.Combine(_data, "tokens.json");

    public async Task InitializeAsync() => _provider = await LoopbackIdentityProvider.StartAsync();

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task APasswordSignInKeepsTheTokensOfTheUserItNamesUntilTheyExpire()
    {
        await using var client = Client(out var signIn);
        var signedIn = new List<string>();
        signIn.SignedIn += (_, user) => signedIn.Add(user);

        var tokens = await signIn.SignInWithPasswordAsync("buyer-1@hive.test", "Correct-Horse-1");

        Assert.Equal("buyer-1", tokens.UserId);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(3600), tokens.AccessTokenExpiresAt);
        Assert.NotNull(tokens.RefreshToken);
        Assert.NotNull(tokens.IdentityToken);
        Assert.Equal(["buyer-1"], signedIn);
        Assert.True(signIn.IsSignedIn);
        Assert.Equal(tokens.AccessToken, await signIn.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(tokens, await new FileTokenStore(TokenFile).LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ATokenWithoutALifetimeIsTakenToLastFiveMinutes()
    {
        _provider.AccessTokenSeconds = 0;
        await using var client = Client(out var signIn);

        var tokens = await signIn.SignInWithPasswordAsync("buyer-1@hive.test", "Correct-Horse-1");

        Assert.Equal(_clock.GetUtcNow().AddMinutes(5), tokens.AccessTokenExpiresAt);
    }

    [Fact]
    public async Task AWrongPasswordOrAProviderThatCannotBeFoundIsASignInErrorThatSaysWhy()
    {
        await using var client = Client(out var signIn);

        var wrong = await Assert.ThrowsAsync<SignInException>(() => signIn.SignInWithPasswordAsync("buyer-1@hive.test", "wrong"));
        Assert.Equal("invalid_grant", wrong.Error);
        Assert.Equal("Sign-in failed: invalid_grant: The user name or password is wrong.", wrong.Message);
        Assert.False(signIn.IsSignedIn);
        Assert.False(File.Exists(TokenFile));

        await using var nowhere = await LoopbackServer.StartAsync(_ => { });
        using var lost = new SignInService(Options(nowhere.Address), _clock);
        var missing = await Assert.ThrowsAsync<SignInException>(() => lost.SignInWithPasswordAsync("buyer-1@hive.test", "Correct-Horse-1"));
        Assert.Equal("discovery", missing.Error);
        Assert.StartsWith("Sign-in failed: discovery: ", missing.Message);
    }

    [Fact]
    public async Task TheCodeFlowNeedsABrowserAndABrowserClosedBeforeTheEndIsASignInError()
    {
        using var noBrowser = new SignInService(Options(_provider.Address, browser: null), _clock);
        await Assert.ThrowsAsync<InvalidOperationException>(() => noBrowser.SignInAsync());

        using var closed = new SignInService(Options(_provider.Address, new ClosedBrowser()), _clock);
        var error = await Assert.ThrowsAsync<SignInException>(() => closed.SignInAsync());
        Assert.False(string.IsNullOrEmpty(error.Error));
        Assert.False(closed.IsSignedIn);
    }

    [Fact]
    public void ASignInServiceNeedsOptionsAnAuthorityAndATokenStore()
    {
        Assert.Throws<ArgumentNullException>(() => new SignInService(null!, _clock));
        Assert.Throws<ArgumentNullException>(() => new SignInService(new SignInOptions { TokenStore = new FileTokenStore(TokenFile) }, _clock));
        var noStore = Assert.Throws<ArgumentException>(() => new SignInService(new SignInOptions { Authority = _provider.Address }, _clock));
        Assert.StartsWith("SignInOptions.TokenStore is required.", noStore.Message);
    }

    [Fact]
    public async Task AFirstRunRestoresNothingAndASignOutLeavesNothingForTheNextRun()
    {
        await using (var first = Client(out var fresh))
        {
            var signedIn = 0;
            fresh.SignedIn += (_, _) => signedIn++;
            Assert.False(await fresh.RestoreAsync());
            Assert.Equal(0, signedIn);
            Assert.Null(await fresh.GetAccessTokenAsync(CancellationToken.None));

            await fresh.SignInWithPasswordAsync("buyer-1@hive.test", "Correct-Horse-1");
            await fresh.SignOutAsync();
        }

        await using var next = Client(out var restored);
        Assert.False(await restored.RestoreAsync());
        Assert.False(restored.IsSignedIn);
    }

    [Fact]
    public async Task AnotherUserSigningInOnThePhoneSignsTheFirstOutAndWipesTheirPrivateAnswers()
    {
        await using var client = Client(out var signIn);
        var events = new List<string>();
        signIn.SignedOut += (_, user) => events.Add("out " + user);
        signIn.SignedIn += (_, user) => events.Add("in " + user);
        await signIn.SignInWithPasswordAsync("buyer-1@hive.test", "Correct-Horse-1");
        await client.Orders.MineAsync();
        Assert.Equal(1, (await client.DiskCacheSizeAsync()).Count);

        await signIn.SignInWithPasswordAsync("buyer-1@hive.test", "Correct-Horse-1");
        _provider.PasswordAccount = ("buyer-2@hive.test", "Correct-Horse-2", "buyer-2");
        await signIn.SignInWithPasswordAsync("buyer-2@hive.test", "Correct-Horse-2");

        Assert.Equal(["in buyer-1", "in buyer-1", "out buyer-1", "in buyer-2"], events);
        await Hive.Testing.Eventually.TrueAsync(async () => (await client.DiskCacheSizeAsync()).Count == 0, Deadline, "buyer-1's orders left the disk cache");
        Assert.Equal(2, Assert.Single((await client.Orders.MineAsync()).Value.Items).Id);
    }

    [Fact]
    public async Task ASignInAfterTheOldOneExpiredLetsTheOrderQueueGoOn()
    {
        await using var client = Client(out var signIn);
        await signIn.SignInWithPasswordAsync("buyer-1@hive.test", "Correct-Horse-1");
        _provider.RevokeRefreshTokens();
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await signIn.GetAccessTokenAsync(CancellationToken.None));
        Assert.True(client.Orders.Queue.IsPaused);

        await signIn.SignInWithPasswordAsync("buyer-1@hive.test", "Correct-Horse-1");

        Assert.False(client.Orders.Queue.IsPaused);
    }

    [Fact]
    public async Task ARefreshThatRenewsOnlyTheAccessTokenKeepsTheRestAndTheNextRunGetsTheRenewedOne()
    {
        string renewed;
        TokenSet first;
        await using (var client = Client(out var signIn))
        {
            first = await signIn.SignInWithPasswordAsync("buyer-1@hive.test", "Correct-Horse-1");
            _provider.RefreshAnswersWithNewTokens = false;
            _clock.Advance(TimeSpan.FromHours(1));

            renewed = (await signIn.GetAccessTokenAsync(CancellationToken.None))!;
            Assert.NotEqual(first.AccessToken, renewed);
            Assert.Equal(1, signIn.Refreshes);
        }

        await using var nextRun = Client(out var restored);
        Assert.True(await restored.RestoreAsync());
        var saved = await new FileTokenStore(TokenFile).LoadAsync(CancellationToken.None);
        Assert.Equal((renewed, first.RefreshToken, first.IdentityToken), (saved!.AccessToken, saved.RefreshToken, saved.IdentityToken));
    }

    [Fact]
    public async Task ATokenIsRefreshedOnceNoMoreThanTheRefreshMarginIsLeft()
    {
        await using var client = Client(out var signIn);
        var tokens = await signIn.SignInWithPasswordAsync("buyer-1@hive.test", "Correct-Horse-1");
        var margin = TimeSpan.FromMinutes(2);

        _clock.SetUtcNow(tokens.AccessTokenExpiresAt - margin - TimeSpan.FromSeconds(1));
        Assert.Equal(tokens.AccessToken, await signIn.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(0, signIn.Refreshes);

        _clock.SetUtcNow(tokens.AccessTokenExpiresAt - margin);
        Assert.NotEqual(tokens.AccessToken, await signIn.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(1, signIn.Refreshes);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("no-dots", null)]
    [InlineData("e30.eyJzdWIiOiJidXllci0xIn0.", "buyer-1")]
    [InlineData("e30.eyJzdWIiOiJidXllci0xIn0", "buyer-1")]
    [InlineData("e30.eyJzdWIiOjQyfQ.", null)]
    [InlineData("e30.e30.", null)]
    [InlineData("e30.bm90IGpzb24.", null)]
    [InlineData("e30.!!!.", null)]
    public void TheSubjectIsReadFromATokensPayloadWhenItNamesOne(string? jwt, string? subject)
        => Assert.Equal(subject, JwtPayload.Subject(jwt));

    private HiveClient Client(out SignInService signIn)
    {
        var client = MobileClients.Create(_provider.Address, _data, configure: o => o.TimeProvider = _clock);
        signIn = client.UseSignIn(Options(_provider.Address));
        return client;
    }

    private SignInOptions Options(Uri authority, IBrowser? browser = null) => new()
    {
        Authority = authority,
        RedirectUri = "http://127.0.0.1/callback",
        AllowHttp = true,
        Browser = browser,
        TokenStore = new FileTokenStore(TokenFile),
    };

    /// <summary>The user closed the sign-in page.</summary>
    private sealed class ClosedBrowser : IBrowser
    {
        public Task<BrowserResult> InvokeAsync(BrowserOptions options, CancellationToken cancellationToken = default)
            => Task.FromResult(new BrowserResult { ResultType = BrowserResultType.UserCancel, Error = "closed" });
    }
}
