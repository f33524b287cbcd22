using Hive.Caching;
using Media.Api.Data;
using Media.Api.Imaging;
using Media.Api.Storage;
using Microsoft.Extensions.Options;

namespace Media.Api.Delivery;

public sealed record VariantFormat(string Format, string Url, long? Bytes);

public sealed record VariantAnswer(string Name, int Width, int Height, string Url, IReadOnlyList<VariantFormat> Formats);

/// <summary>The placeholder: ThumbHash and BlurHash strings and a tiny blurred JPEG as a data: URL.</summary>
public sealed record PlaceholderAnswer(string ThumbHash, string BlurHash, string DataUrl);

public sealed record VariantSet(long ImageId, long ProductId, int Version, int Width, int Height, PlaceholderAnswer Placeholder, IReadOnlyList<VariantAnswer> Variants);

/// <summary>
/// Every named variant of an image with its URL per format, size and bytes. Bytes come from rendering
/// each variant once (through the rendering cache), so the set is cached too: <c>media:variants:{id}-v{n}</c>.
/// </summary>
public sealed class VariantSets(
    IHiveCache cache,
    MediaUrls urls,
    RenderingService renderings,
    IMediaStore store,
    ImageDirectory directory,
    IOptions<MediaOptions> options)
{
    public const string VariantsEntity = "variants";

    private static readonly ImageFormat[] OfferedFormats = [ImageFormat.Avif, ImageFormat.Webp, ImageFormat.Jpeg];

    public async Task<VariantSet> GetAsync(MediaImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var key = cache.Keys.For(VariantsEntity, $"{image.Id}-v{image.Version}");
        if (await cache.TryGetAsync<VariantSet>(key, cancellationToken) is { HasValue: true, Value: { } cached })
        {
            return cached;
        }

        var set = await BuildAsync(image);
        // Only a set with every size known is kept; the renders still running finish into the rendering cache.
        if (set.Variants.All(v => v.Formats.All(f => f.Bytes is not null || urls.CloudinaryMode)))
        {
            await cache.SetAsync(key, set, CacheDuration.Week, [directory.ProductTag(image.ProductId)], cancellationToken);
        }

        return set;
    }

    public async Task<PlaceholderAnswer> PlaceholderAsync(MediaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var original = await store.GetAsync(image.StorageKey, CancellationToken.None) ?? throw new OriginalMissingException(image.Id);
        var tiny = Renderer.TinyBlurred(original);
        return new PlaceholderAnswer(image.Placeholder, image.BlurHash, "data:image/jpeg;base64," + Convert.ToBase64String(tiny));
    }

    private async Task<VariantSet> BuildAsync(MediaImage image)
    {
        var specs = NamedVariant.All
            .SelectMany(variant => OfferedFormats.Select(format => (variant, format, spec: new RenderSpec(variant.Size, variant.Size, Fit.Cover, Gravity.Centre, null, format))))
            .ToList();
        // Rendered side by side (RenderSlots bounds them); a first request waits a few seconds at most.
        var renders = urls.CloudinaryMode
            ? []
            : specs.ToDictionary(s => (s.variant.Name, s.format), s => renderings.GetAsync(image, s.spec, CancellationToken.None));
        if (renders.Count > 0)
        {
            await Task.WhenAny(Task.WhenAll(renders.Values), Task.Delay(options.Value.VariantBytesWait));
        }

        var variants = new List<VariantAnswer>(NamedVariant.All.Count);
        foreach (var variant in NamedVariant.All)
        {
            var (width, height) = RenderGeometry.Box(image.Width, image.Height, new RenderSpec(variant.Size, variant.Size, Fit.Cover, Gravity.Centre, null, ImageFormat.Jpeg), options.Value.MaxDimension);
            var formats = OfferedFormats
                .Select(format => new VariantFormat(
                    format.Name(),
                    urls.Variant(image, variant, format),
                    renders.TryGetValue((variant.Name, format), out var render) && render.IsCompletedSuccessfully ? render.Result.LongLength : null))
                .ToList();
            variants.Add(new VariantAnswer(variant.Name, width, height, urls.Variant(image, variant, null), formats));
        }

        return new VariantSet(image.Id, image.ProductId, image.Version, image.Width, image.Height, await PlaceholderAsync(image), variants);
    }
}
