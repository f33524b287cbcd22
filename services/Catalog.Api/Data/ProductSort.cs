namespace Catalog.Api.Data;

/// <summary>List orders; each has its own keyset (value, id) so pages never skip or repeat rows.</summary>
public enum ProductSort
{
    Newest,
    PriceAscending,
    PriceDescending,
}

public static class ProductSortNames
{
    public static bool TryParse(string? value, out ProductSort sort)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "newest":
                sort = ProductSort.Newest;
                return true;
            case "price" or "price_asc" or "price-asc":
                sort = ProductSort.PriceAscending;
                return true;
            case "price_desc" or "price-desc":
                sort = ProductSort.PriceDescending;
                return true;
            default:
                sort = default;
                return false;
        }
    }
}
