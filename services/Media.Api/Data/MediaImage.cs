namespace Media.Api.Data;

/// <summary>A product image as media keeps it (table <c>media_images</c>).</summary>
public sealed record MediaImage(
    long Id,
    long ProductId,
    long BusinessId,
    int Version,
    string StorageKey,
    string ContentType,
    int Width,
    int Height,
    long Bytes,
    string Placeholder,
    string BlurHash,
    int Position,
    string AltText);

/// <summary>What an upload adds or a replacement changes.</summary>
public sealed record NewOriginal(string StorageKey, string ContentType, int Width, int Height, long Bytes, string Placeholder, string BlurHash);
