using System.Text.Json.Serialization;

namespace Hive.Contracts;

/// <summary>What kind of change a <see cref="ProductChanged"/> event describes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProductChangeKind>))]
public enum ProductChangeKind
{
    Created,
    Updated,
    Deleted,
}

/// <summary>
/// Published by catalog after a product change commits. Every service drops what its own cache
/// holds about the product. <see cref="Version"/> grows with each change so an old event can be ignored.
/// </summary>
public sealed record ProductChanged(
    long ProductId,
    long BusinessId,
    int CategoryId,
    string Slug,
    ProductChangeKind Kind,
    long Version,
    DateTimeOffset OccurredAt);
