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

public sealed record ProductImage(long Id, string Url, int Position, int? Width, int? Height, string AltText);

/// <summary>What a list shows for each product (served by the covering index where it can be).</summary>
public sealed record ProductCard(long Id, long BusinessId, int CategoryId, string Name, string Slug, decimal Price, string Status, bool Featured, DateTimeOffset CreatedAt, bool InStock);

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
