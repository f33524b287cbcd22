namespace Catalog.Api.Model;

/// <summary>A product as clients see it, with its images in display order.</summary>
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
    IReadOnlyList<ProductImage> Images)
{
    /// <summary>Whether an order for one can be placed now.</summary>
    public bool InStock => Stock > 0;

    /// <summary>What anonymous readers may see: only published products.</summary>
    public bool IsPublic => Status == ProductStatus.Active;
}

public sealed record ProductImage(long Id, string Url, int Position, int? Width, int? Height, string AltText)
{
    /// <summary>The image's ThumbHash (base64) from media: a blurred sketch to draw while <see cref="Url"/> loads.</summary>
    public string? Placeholder { get; init; }
}

/// <summary>The first image of a product as a list card shows it: the media variant URL and its placeholder.</summary>
public sealed record CardImage(string Url, string? Placeholder);

/// <summary>What a list shows for each product (served by the covering index where it can be).</summary>
public sealed record ProductCard(long Id, long BusinessId, int CategoryId, string Name, string Slug, decimal Price, string Status, bool Featured, DateTimeOffset CreatedAt, bool InStock)
{
    /// <summary>The product's first image, or null when it has none.</summary>
    public CardImage? Image { get; init; }
}

/// <summary>One page of a keyset-paginated list; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ProductPage(IReadOnlyList<ProductCard> Items, string? NextCursor);

public sealed record TrendingProduct(ProductCard Product, long Score);

public sealed record CategoryCount(int Id, string Name, string Slug, long ProductCount);

public static class ProductStatus
{
    public const string Draft = "draft";
    public const string Active = "active";
    public const string OutOfStock = "out_of_stock";
    public const string Archived = "archived";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Draft, Active, OutOfStock, Archived };
}
