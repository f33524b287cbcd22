using Hive.Mobile.Api;
using Hive.Mobile.Auth;
using Hive.Mobile.Caching;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Http;
using Hive.Mobile.Images;
using Hive.Mobile.Orders;
using Hive.Mobile.Storage;

namespace Hive.Mobile;

/// <summary>
/// The one object an app keeps for the fleet: typed APIs over a shared cache, transport and order queue.
/// Create it at start-up (it resumes orders left by an earlier run) and dispose it when the app closes.
/// </summary>
public sealed class HiveClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConnectivityTracker _connectivity;
    private readonly HiveTransport _transport;
    private readonly ResponseCache _cache;
    private readonly LocalDatabase _database;
    private readonly DiskStore _disk;
    private readonly MemoryLru _memory;
    private SignInService? _signIn;

    public HiveClient(HiveClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Statistics = new ClientStatistics();
        _connectivity = new ConnectivityTracker(options.Network, options.FailuresBeforeOffline);
        _transport = new HiveTransport(options, _connectivity, Statistics);
        _database = new LocalDatabase(options.DataDirectory!);
        _memory = new MemoryLru(options.MemoryBudgetBytes);
        _disk = new DiskStore(_database, options.DiskBudgetBytes, options.TimeProvider);
        _cache = new ResponseCache(_memory, _disk, _transport, _connectivity, options.Lifetimes, options.TimeProvider, _lifetime.Token);

        Catalog = new CatalogClient(_cache, _connectivity);
        Search = new SearchClient(_cache, Catalog);
        var images = new ImageLoader(
            _transport,
            _cache,
            new ImageDiskCache(_database, Path.Combine(options.DataDirectory!, "images"), options.ImageBudgetBytes, options.TimeProvider),
            _connectivity,
            options);
        Media = new MediaClient(_cache, images);
        var queue = new OrderQueue(_database, _transport, _connectivity, options.TimeProvider, TimeSpan.FromSeconds(15));
        Orders = new OrdersClient(_cache, queue, () => _transport.Tokens);

        // Orders left by an earlier run (killed mid-send, or queued offline) go out as soon as possible.
        queue.StartDrain();
    }

    public HiveClientOptions Options { get; }

    public ClientStatistics Statistics { get; }

    public CatalogClient Catalog { get; }

    public SearchClient Search { get; }

    public MediaClient Media { get; }

    public OrdersClient Orders { get; }

    public NetworkQuality Network => _connectivity.Quality;

    /// <summary>Offline by the platform's word or because the last requests all failed.</summary>
    public bool SeemsOffline => _connectivity.SeemsOffline;

    /// <summary>The sign-in service, once <see cref="UseSignIn"/> or <see cref="UseAccessTokens"/> set one.</summary>
    public SignInService? SignIn => _signIn;

    /// <summary>
    /// Signs requests with this service's tokens; a sign-out wipes the user's private answers, an expired
    /// sign-in pauses the order queue, a new sign-in resumes it.
    /// </summary>
    public SignInService UseSignIn(SignInOptions options, HttpMessageHandler? backchannel = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Authority ??= Options.Gateway;
        var signIn = new SignInService(options, Options.TimeProvider, backchannel);
        signIn.SignedOut += (_, userId) => _ = _cache.ForgetScopeAsync(userId, CancellationToken.None);
        signIn.SignInExpired += (_, _) => Orders.Queue.Pause();
        signIn.SignedIn += (_, _) => Orders.Queue.Resume();
        _signIn = signIn;
        _transport.Tokens = signIn;
        return signIn;
    }

    /// <summary>
    /// The seam for another source of bearer tokens (a different identity provider, or a test's tokens).
    /// Orders and private reads use it; the queue resumes with the new source.
    /// </summary>
    public void UseAccessTokens(IAccessTokenProvider tokens)
    {
        _transport.Tokens = tokens;
        Orders.Queue.Resume();
    }

    /// <summary>Removes a user's private answers from both cache levels (sign-out does this by itself).</summary>
    public Task ForgetUserAsync(string userId, CancellationToken cancellationToken = default) => _cache.ForgetScopeAsync(userId, cancellationToken);

    /// <summary>Entries and bytes in the SQLite level of the request cache.</summary>
    public Task<(int Count, long Bytes)> DiskCacheSizeAsync(CancellationToken cancellationToken = default) => _disk.SizeAsync(cancellationToken);

    public (int Count, long Bytes) MemoryCacheSize => (_memory.Count, _memory.Bytes);

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        await Orders.Queue.DisposeAsync();
        _connectivity.Dispose();
        _transport.Dispose();
        _signIn?.Dispose();
        _database.Release();
        _lifetime.Dispose();
    }
}
