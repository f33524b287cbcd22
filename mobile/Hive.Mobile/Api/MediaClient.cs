using Hive.Mobile.Caching;
using Hive.Mobile.Images;
using Hive.Mobile.Models;

namespace Hive.Mobile.Api;

/// <summary>The media service: the named sizes, and the image loader for progressive, cached images.</summary>
public sealed class MediaClient
{
    private readonly ResponseCache _cache;

    internal MediaClient(ResponseCache cache, ImageLoader images)
    {
        _cache = cache;
        Images = images;
    }

    public ImageLoader Images { get; }

    public Task<Fetched<IReadOnlyList<ImageSize>>> SizesAsync(CancellationToken cancellationToken = default)
        => _cache.GetAsync(new CacheRequest("api/media/sizes", ResourceKind.MediaInfo), HiveJsonContext.Default.IReadOnlyListImageSize, cancellationToken);
}
