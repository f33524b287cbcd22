namespace Hive.Mobile.Models;

/// <summary>A named rendition every product image is offered in (GET /api/media/sizes): square, <see cref="Size"/> pixels a side.</summary>
public sealed record ImageSize(string Name, int Size);

/// <summary>
/// Every rendition of one image (GET /api/media/images/{id}/variants), as media's <c>VariantSet</c> publishes it:
/// the original's size and version, the placeholders, and each named variant with a URL per format.
/// The contract tests hold these fields to media's OpenAPI document.
/// </summary>
public sealed record ImageVariants(
    long ImageId,
    long ProductId,
    int Version,
    int Width,
    int Height,
    ImagePlaceholder Placeholder,
    IReadOnlyList<ImageVariant> Variants);

/// <summary>
/// What to draw before any image byte arrives: a ThumbHash and a BlurHash string (both decoded by
/// <see cref="Images.Placeholder"/>) and a tiny blurred JPEG as a <c>data:</c> URL.
/// </summary>
public sealed record ImagePlaceholder(string ThumbHash, string BlurHash, string DataUrl);

/// <summary>
/// One named rendition. <see cref="Url"/> lets the server pick the format from Accept; <see cref="Formats"/>
/// names a URL per format (AVIF, WebP, JPEG), which a client that knows what it decodes uses instead.
/// </summary>
public sealed record ImageVariant(string Name, int Width, int Height, string Url, IReadOnlyList<ImageVariantFormat> Formats);

/// <summary>
/// One rendition in one format: <see cref="Format"/> is <c>avif</c>, <c>webp</c> or <c>jpeg</c>;
/// <see cref="Bytes"/> is null until media has rendered it once.
/// </summary>
public sealed record ImageVariantFormat(string Format, string Url, long? Bytes);
