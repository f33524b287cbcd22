namespace Hive.Mobile.Models;

/// <summary>A product with its images (GET /api/catalog/products/{id} and by slug).</summary>
public sealed record ProductDetail(
    long Id,
    long BusinessId,
    int CategoryId,
    string Name,
    string Slug,
    string Description,
    decimal Price,
    string Currency,
    int Stock,
    string Status,
    bool Featured,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ProductImage> Images);

/// <summary>
/// One image of a product. <see cref="Placeholder"/> (a ThumbHash or BlurHash string) arrives once media
/// serves it; until then it is null and images show without a placeholder.
/// </summary>
public sealed record ProductImage(long Id, string Url, int Position, int? Width, int? Height, string AltText)
{
    public string? Placeholder { get; init; }
}

/// <summary>What a list shows for each product; <see cref="Image"/> is its first picture as a small signed rendition.</summary>
public sealed record ProductCard(long Id, long BusinessId, int CategoryId, string Name, string Slug, decimal Price, string Status, bool Featured, DateTimeOffset CreatedAt)
{
    public bool InStock { get; init; } = true;

    public CardImage? Image { get; init; }
}

/// <summary>A list's thumbnail: a ready rendition URL and the placeholder to draw until it arrives.</summary>
public sealed record CardImage(string Url, string? Placeholder);

/// <summary>One keyset page; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ProductPage(IReadOnlyList<ProductCard> Items, string? NextCursor);

public sealed record TrendingProduct(ProductCard Product, long Score);

public sealed record CategoryCount(int Id, string Name, string Slug, long ProductCount);
