using System.Collections.Concurrent;
using Hive.Caching;
using Media.Api.Data;
using Media.Api.Imaging;
using Media.Api.Storage;
using Microsoft.Extensions.Options;

namespace Media.Api.Delivery;

/// <summary>
/// Gets a rendering: Redis (small ones, namespace <c>media:</c>, tagged with the product), then disk
/// (large ones), then libvips. However many ask for the same rendering at the same moment, it is made
/// once (single flight) and the others share the result.
/// </summary>
public sealed class RenderingService(
    IHiveCache cache,
    DiskRenderingCache disk,
    IMediaStore store,
    Renderer renderer,
    RenderSlots slots,
    IOptions<MediaOptions> options)
{
    public const string RenderingEntity = "rendering";

    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _inFlight = new(StringComparer.Ordinal);
    private long _renders;

    /// <summary>Renders made by libvips in this process (not served from a cache).</summary>
    public long Renders => Interlocked.Read(ref _renders);

    public static string NameOf(MediaImage image, RenderSpec spec)
        => $"{image.Id}-v{image.Version}-{spec.CacheText}";

    public Task<byte[]> GetAsync(MediaImage image, RenderSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        var name = NameOf(image, spec);
        var flight = _inFlight.GetOrAdd(name, n => new Lazy<Task<byte[]>>(() => LoadOrRenderAsync(image, spec, n)));
        var task = flight.Value;
        if (task.IsCompleted)
        {
            _inFlight.TryRemove(KeyValuePair.Create(name, flight));
        }
        else
        {
            _ = task.ContinueWith(_ => _inFlight.TryRemove(KeyValuePair.Create(name, flight)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return task.WaitAsync(cancellationToken);
    }

    // Runs without the first caller's token: the others waiting on the same flight still want the result.
    private async Task<byte[]> LoadOrRenderAsync(MediaImage image, RenderSpec spec, string name)
    {
        var key = cache.Keys.For(RenderingEntity, name);
        var cached = await cache.TryGetAsync<byte[]>(key);
        if (cached is { HasValue: true, Value: { } hit })
        {
            return hit;
        }

        if (disk.TryRead(image.ProductId, name) is { } fromDisk)
        {
            return fromDisk;
        }

        var original = await store.GetAsync(image.StorageKey, CancellationToken.None)
            ?? throw new OriginalMissingException(image.Id);
        var header = new ImageHeader(Formats(image.ContentType), image.Width, image.Height);
        var rendered = await slots.RunAsync(() => renderer.Render(original, header, spec), CancellationToken.None);
        Interlocked.Increment(ref _renders);

        if (rendered.Bytes.Length <= options.Value.RedisMaxBytes)
        {
            await cache.SetAsync(key, rendered.Bytes, CacheDuration.Week, [cache.Keys.Tag(Hive.Messaging.ProductTagInvalidationHandler.ProductEntity, image.ProductId)]);
        }
        else
        {
            disk.Write(image.ProductId, name, rendered.Bytes);
        }

        return rendered.Bytes;
    }

    private static ImageFormat Formats(string contentType) => contentType switch
    {
        "image/png" => ImageFormat.Png,
        "image/webp" => ImageFormat.Webp,
        "image/avif" => ImageFormat.Avif,
        _ => ImageFormat.Jpeg,
    };
}

/// <summary>The row names an original the store does not have (lost data folder); answered with 404.</summary>
public sealed class OriginalMissingException(long imageId) : Exception($"The original of image {imageId} is not in the media store.")
{
    public long ImageId { get; } = imageId;
}
