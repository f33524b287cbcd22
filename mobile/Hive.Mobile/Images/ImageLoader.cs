using System.Runtime.CompilerServices;
using Hive.Mobile.Caching;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Http;
using Hive.Mobile.Models;

namespace Hive.Mobile.Images;

/// <summary>
/// Loads product images the way a phone on a slow network should: placeholder first (no request at all),
/// then the smallest rendition, then the one that fits the box; bytes from the disk cache when it has them;
/// the Accept header names the formats the platform decodes, best first.
/// </summary>
public sealed class ImageLoader
{
    private readonly HiveTransport _transport;
    private readonly ResponseCache _cache;
    private readonly ImageDiskCache _disk;
    private readonly ConnectivityTracker _connectivity;
    private readonly HiveClientOptions _options;
    private readonly string _accept;

    internal ImageLoader(HiveTransport transport, ResponseCache cache, ImageDiskCache disk, ConnectivityTracker connectivity, HiveClientOptions options)
    {
        _transport = transport;
        _cache = cache;
        _disk = disk;
        _connectivity = connectivity;
        _options = options;
        _accept = VariantChooser.AcceptHeader(options.ImageFormats);
    }

    /// <summary>The renditions of an image and its placeholder; null when the media service does not know the image.</summary>
    public async Task<ImageVariants?> GetVariantsAsync(long imageId, CancellationToken cancellationToken = default)
    {
        try
        {
            var fetched = await _cache.GetAsync(new CacheRequest($"api/media/images/{imageId}/variants", ResourceKind.MediaInfo), Models.HiveJsonContext.Default.ImageVariants, cancellationToken);
            return fetched.Value;
        }
        catch (HiveApiException notFound) when (notFound.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Placeholder, then small, then target for a box of <paramref name="displayWidth"/> × <paramref name="displayHeight"/>
    /// points. Steps the platform already has are skipped: a cached target is yielded straight after the placeholder.
    /// </summary>
    public async IAsyncEnumerable<ImageFrame> LoadAsync(
        ProductImage image, double displayWidth, double displayHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var placeholderText = image.Placeholder;
        // The product answer's placeholder is drawn before any request: the first pixels cost nothing.
        var drawn = Placeholder.Decode(placeholderText);
        if (drawn is not null)
        {
            yield return new ImageFrame.Blurred(drawn);
        }

        ImageVariants? variants = null;
        if (!_connectivity.PlatformOffline || placeholderText is null)
        {
            try
            {
                variants = await GetVariantsAsync(MediaImageId(image), cancellationToken);
            }
            catch (HiveOfflineException)
            {
                // Without the list the original URL is all there is.
            }
        }

        if (drawn is null && (Placeholder.Decode(variants?.Placeholder.ThumbHash) ?? Placeholder.Decode(variants?.Placeholder.BlurHash)) is { } bitmap)
        {
            yield return new ImageFrame.Blurred(bitmap);
        }

        if (variants is not { Variants.Count: > 0 })
        {
            var original = await GetBytesAsync(image.Url, cancellationToken);
            yield return new ImageFrame.Encoded(original.Bytes, original.ContentType, image.Width ?? 0, IsFinal: true, original.FromCache);
            yield break;
        }

        var target = VariantChooser.Choose(variants.Variants, displayWidth, displayHeight, _options.PixelRatio, _connectivity.Quality);
        var targetUrl = VariantChooser.UrlFor(target, _options.ImageFormats);
        var targetKey = ImageDiskCache.KeyFor(targetUrl, _accept);
        if (await _disk.GetAsync(targetKey, cancellationToken) is { } cachedTarget)
        {
            yield return new ImageFrame.Encoded(cachedTarget.Bytes, cachedTarget.ContentType, target.Width, IsFinal: true, FromCache: true);
            yield break;
        }

        var small = VariantChooser.Smallest(variants.Variants);
        var smallUrl = VariantChooser.UrlFor(small, _options.ImageFormats);
        // Both start now: on a slow link the round trips overlap, and the small one, a few KB, still arrives first.
        var targetTask = GetBytesAsync(targetUrl, cancellationToken);
        if (smallUrl != targetUrl)
        {
            (byte[] Bytes, string ContentType, bool FromCache) first;
            try
            {
                first = await GetBytesAsync(smallUrl, cancellationToken);
            }
            catch
            {
                // The target's own failure, if any, is not left unobserved.
                _ = targetTask.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw;
            }

            yield return new ImageFrame.Encoded(first.Bytes, first.ContentType, small.Width, IsFinal: false, first.FromCache);
        }

        var final = await targetTask;
        yield return new ImageFrame.Encoded(final.Bytes, final.ContentType, target.Width, IsFinal: true, final.FromCache);
    }

    /// <summary>
    /// Fetches the smallest renditions of these images into the disk cache, so the next page draws at once;
    /// only on a good connection (on a slow one the bytes would compete with what the user is looking at).
    /// Returns how many were fetched.
    /// </summary>
    public async Task<int> PrefetchAsync(IEnumerable<ProductImage> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (_connectivity.Quality != NetworkQuality.Good || _connectivity.SeemsOffline)
        {
            return 0;
        }

        var fetched = 0;
        foreach (var image in images)
        {
            var variants = await GetVariantsAsync(MediaImageId(image), cancellationToken);
            var url = variants is { Variants.Count: > 0 } ? VariantChooser.UrlFor(VariantChooser.Smallest(variants.Variants), _options.ImageFormats) : image.Url;
            var bytes = await GetBytesAsync(url, cancellationToken);
            fetched += bytes.FromCache ? 0 : 1;
        }

        return fetched;
    }

    /// <summary>
    /// Fetches the thumbnails of a list's next page (the cards' ready renditions) into the disk cache, only on
    /// a good connection. Returns how many were fetched; cards without a picture are skipped.
    /// </summary>
    public async Task<int> PrefetchAsync(IEnumerable<ProductCard> cards, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cards);
        if (_connectivity.Quality != NetworkQuality.Good || _connectivity.SeemsOffline)
        {
            return 0;
        }

        var fetched = 0;
        foreach (var card in cards)
        {
            if (card.Image is { Url: { Length: > 0 } url })
            {
                fetched += (await GetBytesAsync(url, cancellationToken)).FromCache ? 0 : 1;
            }
        }

        return fetched;
    }

    /// <summary>A list's thumbnail: the placeholder at once, then the card's rendition (from disk when it was prefetched).</summary>
    public async IAsyncEnumerable<ImageFrame> LoadAsync(CardImage image, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Placeholder.Decode(image.Placeholder) is { } bitmap)
        {
            yield return new ImageFrame.Blurred(bitmap);
        }

        var bytes = await GetBytesAsync(image.Url, cancellationToken);
        yield return new ImageFrame.Encoded(bytes.Bytes, bytes.ContentType, 0, IsFinal: true, bytes.FromCache);
    }

    /// <summary>
    /// The media service's id of a product image: catalog numbers its image rows itself, so the id is read from
    /// the media URL catalog gives (<c>/api/media/images/{id}/…</c>); the row's id when the URL is elsewhere.
    /// </summary>
    public static long MediaImageId(ProductImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        const string prefix = "/api/media/images/";
        var url = image.Url;
        var start = url.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return image.Id;
        }

        start += prefix.Length;
        var end = start;
        while (end < url.Length && char.IsAsciiDigit(url[end]))
        {
            end++;
        }

        return long.TryParse(url.AsSpan(start, end - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : image.Id;
    }

    private async Task<(byte[] Bytes, string ContentType, bool FromCache)> GetBytesAsync(string url, CancellationToken cancellationToken)
    {
        var key = ImageDiskCache.KeyFor(url, _accept);
        if (await _disk.GetAsync(key, cancellationToken) is { } cached)
        {
            return (cached.Bytes, cached.ContentType, true);
        }

        using var response = await _transport.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.Clear();
                request.Headers.TryAddWithoutValidation("Accept", _accept);
                return request;
            },
            authenticate: false,
            cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var contentType = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        await _disk.SetAsync(key, bytes, contentType, cancellationToken);
        return (bytes, contentType, false);
    }
}
