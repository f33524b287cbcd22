using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Http;

namespace Hive.Mobile.Caching;

/// <summary>
/// Reads through two cache levels (memory, then SQLite) to the network. Concurrent identical reads share
/// one flight (one disk lookup, one request, one answer). A stale answer is served at once and revalidated
/// with If-None-Match; a 304 renews it without a body and counts the bytes it saved.
/// </summary>
internal sealed class ResponseCache(
    MemoryLru memory,
    DiskStore disk,
    HiveTransport transport,
    ConnectivityTracker connectivity,
    CacheLifetimes lifetimes,
    TimeProvider clock,
    CancellationToken lifetime)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<(CachedResponse Entry, FetchSource Source)>>> _flights = new(StringComparer.Ordinal);

    public ClientStatistics Statistics => transport.Statistics;

    /// <summary>The cached answer at once (revalidated in the background when stale), or the network's answer.</summary>
    public async Task<Fetched<T>> GetAsync<T>(CacheRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var (entry, source) = await LookupAsync(request, cancellationToken);
        var fetched = Decode(entry, source, type, request.Kind);
        if (fetched.IsStale && source != FetchSource.Network && !connectivity.PlatformOffline)
        {
            _ = RevalidateQuietlyAsync(request, entry);
        }

        return fetched;
    }

    /// <summary>Cached then fresh: the cached answer first (if any), then the server's when it differs.</summary>
    public async IAsyncEnumerable<Fetched<T>> WatchAsync<T>(
        CacheRequest request, JsonTypeInfo<T> type, ReadMode mode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (entry, source) = await LookupAsync(request, cancellationToken);
        var first = Decode(entry, source, type, request.Kind);
        yield return first;
        if (source == FetchSource.Network || (mode == ReadMode.CacheFirst && !first.IsStale) || connectivity.PlatformOffline)
        {
            yield break;
        }

        CachedResponse? renewed;
        try
        {
            renewed = await RevalidateAsync(request, entry).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HiveOfflineException || ex is HiveApiException { IsDefinite: false })
        {
            // The answer already shown is the best there is until the network (or the server) is back.
            renewed = null;
        }

        if (renewed is not null && !renewed.Body.AsSpan().SequenceEqual(entry.Body))
        {
            yield return Decode(renewed, FetchSource.Network, type, request.Kind);
        }
    }

    public async Task ForgetScopeAsync(string scope, CancellationToken cancellationToken)
    {
        memory.RemoveScope(scope);
        await disk.RemoveScopeAsync(scope, cancellationToken);
    }

    private async Task<(CachedResponse Entry, FetchSource Source)> LookupAsync(CacheRequest request, CancellationToken cancellationToken)
    {
        if (memory.Get(request.Key) is { } hit)
        {
            Statistics.MemoryHit();
            return (hit, FetchSource.Memory);
        }

        // Everything after the memory miss is shared: twenty screens asking at once cost one disk read and one request.
        return await ShareAsync("load:" + request.Key, () => LoadAsync(request)).WaitAsync(cancellationToken);
    }

    private async Task<(CachedResponse, FetchSource)> LoadAsync(CacheRequest request)
    {
        if (await disk.GetAsync(request.Key, lifetime) is { } stored)
        {
            Statistics.DiskHit();
            memory.Set(stored);
            return (stored, FetchSource.Disk);
        }

        if (connectivity.PlatformOffline)
        {
            throw new HiveOfflineException($"Offline, and {request.PathAndQuery} is not cached.");
        }

        return (await FetchAsync(request, null), FetchSource.Network);
    }

    private async Task<CachedResponse?> RevalidateAsync(CacheRequest request, CachedResponse entry)
    {
        var (renewed, _) = await ShareAsync("revalidate:" + request.Key, async () => (await FetchAsync(request, entry), FetchSource.Network));
        return renewed;
    }

    private async Task RevalidateQuietlyAsync(CacheRequest request, CachedResponse entry)
    {
        try
        {
            await RevalidateAsync(request, entry);
        }
        catch (Exception ex) when (ex is HiveOfflineException or HiveApiException or OperationCanceledException or ObjectDisposedException)
        {
            // A background refresh that fails leaves the stale answer in place; the next read tries again.
        }
    }

    private Task<(CachedResponse Entry, FetchSource Source)> ShareAsync(string flightKey, Func<Task<(CachedResponse, FetchSource)>> run)
    {
        var mine = new Lazy<Task<(CachedResponse, FetchSource)>>(() => RunFlightAsync(flightKey, run));
        var flight = _flights.GetOrAdd(flightKey, mine);
        if (!ReferenceEquals(flight, mine))
        {
            Statistics.SharedRead();
        }

        return flight.Value;
    }

    private async Task<(CachedResponse, FetchSource)> RunFlightAsync(string flightKey, Func<Task<(CachedResponse, FetchSource)>> run)
    {
        try
        {
            // Detached from any one caller's cancellation: the others still want the answer.
            return await Task.Run(run, lifetime);
        }
        finally
        {
            _flights.TryRemove(flightKey, out _);
        }
    }

    private async Task<CachedResponse> FetchAsync(CacheRequest request, CachedResponse? held)
    {
        using var response = await transport.SendAsync(
            () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Get, request.PathAndQuery);
                if (held?.ETag is { } etag)
                {
                    message.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                return message;
            },
            request.Authenticated,
            lifetime);

        var now = clock.GetUtcNow();
        if (response.StatusCode == HttpStatusCode.NotModified && held is not null)
        {
            Statistics.NotModifiedSaved(held.Body.Length);
            var renewed = held.Renewed(now);
            memory.Set(renewed);
            await disk.RenewAsync(held.Key, now, lifetime);
            return renewed;
        }

        var body = await response.Content.ReadAsByteArrayAsync(lifetime);
        var entry = new CachedResponse(request.Key, request.Scope, request.Kind, body, response.Headers.ETag?.ToString(), now);
        memory.Set(entry);
        await disk.SetAsync(entry, lifetime);
        return entry;
    }

    private Fetched<T> Decode<T>(CachedResponse entry, FetchSource source, JsonTypeInfo<T> type, ResourceKind kind)
    {
        var value = JsonSerializer.Deserialize(entry.Body, type)
                    ?? throw new JsonException($"The answer for {entry.Key} was JSON null.");
        var stale = !entry.IsFresh(clock.GetUtcNow(), lifetimes.For(kind));
        return new Fetched<T>(value, source, entry.ValidatedAt, stale);
    }
}

/// <summary>A cacheable GET: its path and query, its kind, and whose answer it is (empty scope = public).</summary>
internal sealed record CacheRequest(string PathAndQuery, ResourceKind Kind, string Scope = "", bool Authenticated = false)
{
    public string Key => Scope.Length == 0 ? PathAndQuery : $"{Scope}|{PathAndQuery}";
}
