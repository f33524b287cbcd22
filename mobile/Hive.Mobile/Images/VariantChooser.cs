using Hive.Mobile.Connectivity;
using Hive.Mobile.Models;

namespace Hive.Mobile.Images;

/// <summary>
/// Picks the rendition for a box on screen: the smallest one that covers the box in device pixels
/// (display size × pixel ratio), so nothing is upscaled and no byte is wasted. A slow connection settles
/// for less sharpness: three quarters of the pixels on 3G, half on 2G.
/// </summary>
public static class VariantChooser
{
    public static ImageVariant Choose(IReadOnlyList<ImageVariant> variants, double displayWidth, double displayHeight, double pixelRatio, NetworkQuality quality)
    {
        ArgumentNullException.ThrowIfNull(variants);
        if (variants.Count == 0)
        {
            throw new ArgumentException("There is no variant to choose from.", nameof(variants));
        }

        var needed = Math.Max(displayWidth, displayHeight) * pixelRatio * quality switch
        {
            NetworkQuality.Poor => 0.5,
            NetworkQuality.Moderate => 0.75,
            _ => 1.0,
        };
        var ordered = variants.OrderBy(v => Math.Max(v.Width, v.Height)).ToList();
        return ordered.FirstOrDefault(v => Math.Max(v.Width, v.Height) >= needed) ?? ordered[^1];
    }

    /// <summary>The smallest rendition: what a progressive load shows between the placeholder and the target.</summary>
    public static ImageVariant Smallest(IReadOnlyList<ImageVariant> variants) => variants.MinBy(v => Math.Max(v.Width, v.Height))!;

    /// <summary>
    /// The URL of <paramref name="variant"/> in the best format the platform decodes (<paramref name="decodable"/>:
    /// media types, best first), from the variant's per-format URLs; the server-negotiated URL when none of them fits.
    /// A fixed format gives one URL per picture, so the disk cache never holds the same rendition twice.
    /// </summary>
    public static string UrlFor(ImageVariant variant, IReadOnlyList<string> decodable)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(decodable);
        foreach (var mediaType in decodable)
        {
            var name = FormatName(mediaType);
            if (variant.Formats?.FirstOrDefault(f => string.Equals(f.Format, name, StringComparison.OrdinalIgnoreCase)) is { } format)
            {
                return format.Url;
            }
        }

        return variant.Url;
    }

    /// <summary><c>image/avif</c> → <c>avif</c>; <c>image/jpg</c> is read as <c>jpeg</c>.</summary>
    private static string FormatName(string mediaType)
    {
        var name = mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? mediaType["image/".Length..] : mediaType;
        return name.Equals("jpg", StringComparison.OrdinalIgnoreCase) ? "jpeg" : name;
    }

    /// <summary>The Accept header for images: the platform's decodable formats, best first, each preferred over the next.</summary>
    public static string AcceptHeader(IReadOnlyList<string> formats)
    {
        var parts = formats.Select((f, i) => i == 0 ? f : $"{f};q={Math.Max(0.1, 1 - (i * 0.1)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}");
        return string.Join(", ", parts);
    }
}
