namespace Hive.Mobile.Models;

/// <summary>A named rendition every product image is offered in (GET /api/media/sizes): square, <see cref="Size"/> pixels a side.</summary>
public sealed record ImageSize(string Name, int Size);

/// <summary>
/// Every rendition of one image (GET /api/media/images/{id}/variants): named sizes with their URLs and the
/// placeholder string. The fields follow the media service's contract (issue 11); the OpenAPI check covers
/// them once media publishes the operation.
/// </summary>
public sealed record ImageVariants(long ImageId, string? Placeholder, IReadOnlyList<ImageVariant> Variants);

/// <summary>One rendition; <see cref="Format"/> is null when the server negotiates it from Accept.</summary>
public sealed record ImageVariant(string Name, int Width, int Height, string Url)
{
    public string? Format { get; init; }

    public long? Bytes { get; init; }
}
