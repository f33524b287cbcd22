using System.Text.Json.Serialization;

namespace Hive.Contracts;

/// <summary>What happened to a product image in the media service.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProductImageChangeKind>))]
public enum ProductImageChangeKind
{
    Added,
    Replaced,
    Deleted,
}

/// <summary>
/// Published by media when a product's image is uploaded, replaced or deleted. Catalog owns the product
/// row, so it (not media) records the image in its product answers and announces the product change.
/// <see cref="CardUrl"/> is the signed URL of the variant a list card shows; <see cref="Placeholder"/> is
/// the image's ThumbHash (base64), drawn while the card URL loads. <see cref="Version"/> grows with each
/// replacement and is part of every rendering URL, so a replaced image never comes back from a cache.
/// </summary>
public sealed record ProductImageChanged(
    long ImageId,
    long ProductId,
    long BusinessId,
    ProductImageChangeKind Kind,
    int Version,
    string CardUrl,
    string Placeholder,
    int Width,
    int Height,
    int Position,
    string AltText,
    DateTimeOffset OccurredAt);
