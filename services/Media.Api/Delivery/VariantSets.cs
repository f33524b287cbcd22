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
        return await cache.GetOrSetAsync(key, _ => BuildAsync(image), CacheDuration.Week, [directory.ProductTag(image.ProductId)], cancellationToken);
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
        var variants = new List<VariantAnswer>(NamedVariant.All.Count);
        foreach (var variant in NamedVariant.All)
        {
            var spec = new RenderSpec(variant.Size, variant.Size, Fit.Cover, Gravity.Centre, null, ImageFormat.Jpeg);
            var (width, height) = RenderGeometry.Box(image.Width, image.Height, spec, options.Value.MaxDimension);
            var formats = new List<VariantFormat>(OfferedFormats.Length);
            foreach (var format in OfferedFormats)
            {
                long? bytes = urls.CloudinaryMode
                    ? null
                    : (await renderings.GetAsync(image, spec with { Format = format }, CancellationToken.None)).LongLength;
                formats.Add(new VariantFormat(format.Name(), urls.Variant(image, variant, format), bytes));
            }

            variants.Add(new VariantAnswer(variant.Name, width, height, urls.Variant(image, variant, null), formats));
        }

        return new VariantSet(image.Id, image.ProductId, image.Version, image.Width, image.Height, await PlaceholderAsync(image), variants);
    }
}
