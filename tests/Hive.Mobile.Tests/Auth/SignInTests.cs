using Hive.Mobile.Auth;
using Hive.Mobile.Caching;
using Hive.Mobile.Http;
using Hive.Mobile.Models;
using Hive.Mobile.Tests.Fleet;

namespace Hive.Mobile.Tests.Auth;

/// <summary>Sign-in with code + PKCE, refresh before expiry, expiry and sign-out, against a loopback OpenID Connect provider.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private readonly string _data = MobileClients.NewDataDirectory();
    private LoopbackIdentityProvider _provider = null!;

    public async Task InitializeAsync() => _provider = await LoopbackIdentityProvider.StartAsync();

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task SignInWithCodeAndPkceKeepsTheTokensAndSignsPrivateReads()
    {
        await using var client = Client(out var signIn);

        var tokens = await signIn.SignInAsync();

        Assert.Empty(_provider.Failures);
        Assert.Equal("buyer-1", tokens.UserId);
        Assert.NotNull(tokens.RefreshToken);
        var mine = await client.Orders.MineAsync();
        Assert.Equal(1, Assert.Single(mine.Value.Items).Id);
        Assert.Equal(1, _provider.OrdersServed);

        // The next run finds the user signed in without a browser.
        await using var nextRun = Client(out var restored);
        Assert.True(await restored.RestoreAsync());
        Assert.Equal("buyer-1", restored.UserId);
        Assert.Equal(FetchSource.Disk, (await nextRun.Orders.MineAsync()).Source);
    }

    [Fact]
    public async Task AnAccessTokenAboutToExpireIsRefreshedOnceForManyCallers()
    {
        _provider.AccessTokenSeconds = 30;
        await using var client = Client(out var signIn);
        var first = await signIn.SignInAsync();
        _provider.AccessTokenSeconds = 3600;

        var tokens = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => signIn.GetAccessTokenAsync(CancellationToken.None).AsTask()));

        Assert.Equal(1, _provider.Refreshes);
        Assert.Equal(1, signIn.Refreshes);
        Assert.Single(tokens.Distinct());
        Assert.NotEqual(first.AccessToken, tokens[0]);
        Assert.Equal(1, Assert.Single((await client.Orders.MineAsync()).Value.Items).Id);
    }

    [Fact]
    public async Task ARefusedRefreshEndsTheSignInAndPausesTheOrderQueue()
    {
        _provider.AccessTokenSeconds = 30;
        await using var client = Client(out var signIn);
        await signIn.SignInAsync();
        var expired = new TaskCompletionSource();
        signIn.SignInExpired += (_, _) => expired.TrySetResult();
        _provider.RevokeRefreshTokens();

        Assert.Null(await signIn.GetAccessTokenAsync(CancellationToken.None));

        await expired.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(signIn.IsSignedIn);
        Assert.True(client.Orders.Queue.IsPaused);
        Assert.False(File.Exists(Path.Combine(_data, "tokens.json")));
        var queued = await client.Orders.PlaceAsync(new OrderRequest("A", "+254712000000", "Nairobi", [new OrderLineRequest(1, 1)]));
        Assert.Single(await client.Orders.Queue.PendingAsync(), o => o.IdempotencyKey == queued.IdempotencyKey);
        Assert.Equal(0, client.Statistics.RequestsSent);
    }

    [Fact]
    public async Task SigningOutWipesThatUsersPrivateAnswers()
    {
        await using var client = Client(out var signIn);
        await signIn.SignInAsync();
        await client.Orders.MineAsync();
        Assert.Equal(1, (await client.DiskCacheSizeAsync()).Count);

        await signIn.SignOutAsync();

        await WaitUntilAsync(async () => (await client.DiskCacheSizeAsync()).Count == 0);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.Orders.MineAsync());
        _provider.NextUser = "buyer-2";
        await signIn.SignInAsync();
        var theirs = await client.Orders.MineAsync();
        Assert.Equal(FetchSource.Network, theirs.Source);
        Assert.Equal(2, Assert.Single(theirs.Value.Items).Id);
    }

    [Fact]
    public async Task WithoutASignInAPrivateReadIsATypedRefusal()
    {
        await using var client = MobileClients.Create(_provider.Address, _data);
        client.UseAccessTokens(FixedTokens.Nobody);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.Orders.MineAsync());
        Assert.Contains("Sign in", error.Message, StringComparison.Ordinal);
    }

    private HiveClient Client(out SignInService signIn)
    {
        var client = MobileClients.Create(_provider.Address, _data);
        signIn = client.UseSignIn(new SignInOptions
        {
            Authority = _provider.Address,
            RedirectUri = "http://127.0.0.1/callback",
            AllowHttp = true,
            Browser = new FollowRedirectBrowser(),
            TokenStore = new FileTokenStore(Path.Combine(_data, "tokens.json")),
        });
        return client;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
        => await Hive.Testing.Eventually.TrueAsync(condition, TimeSpan.FromSeconds(10), "the condition held");
}
