using Catalog.Api.Model;
using Hive.ServiceDefaults;

namespace Catalog.Api.Data;

/// <summary>Turns raw list parameters into a <see cref="ProductListQuery"/>, collecting an error per bad field.</summary>
public static class ListQueries
{
    public static ProductListQuery? Build(
        int? category,
        long? business,
        decimal? minPrice,
        decimal? maxPrice,
        string? status,
        string? sort,
        int? pageSize,
        string? cursor,
        CursorKey cursorKey,
        ValidationErrors errors,
        bool anyStatusByDefault = false)
    {
        if (category is <= 0)
        {
            errors["category"] = ["category must be a positive category id."];
        }

        if (business is <= 0)
        {
            errors["business"] = ["business must be a positive business id."];
        }

        if (minPrice is < 0 || minPrice > ProductInput.MaxPrice)
        {
            errors["minPrice"] = [$"minPrice must be between 0 and {ProductInput.MaxPrice:0}."];
        }

        if (maxPrice is < 0 || maxPrice > ProductInput.MaxPrice)
        {
            errors["maxPrice"] = [$"maxPrice must be between 0 and {ProductInput.MaxPrice:0}."];
        }

        if (minPrice is { } min && maxPrice is { } max && min > max)
        {
            errors["minPrice"] = ["minPrice cannot be greater than maxPrice."];
        }

        var effectiveStatus = status?.Trim().ToLowerInvariant() ?? (anyStatusByDefault ? null : ProductStatus.Active);
        if (effectiveStatus is not null && !ProductStatus.All.Contains(effectiveStatus))
        {
            errors["status"] = [$"status must be one of {string.Join(", ", ProductStatus.All)}."];
        }

        if (!ProductSortNames.TryParse(sort, out var parsedSort))
        {
            errors["sort"] = ["sort must be newest, price (ascending) or price_desc."];
        }

        if (pageSize is < 1 or > ProductListQuery.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {ProductListQuery.MaxPageSize}."];
        }

        ListCursor? after = null;
        if (!string.IsNullOrEmpty(cursor) && errors.Count == 0)
        {
            after = ListCursor.TryDecode(cursor, parsedSort, cursorKey.Bytes);
            if (after is null)
            {
                errors["cursor"] = ["cursor is not one this service issued for this sort; start again without a cursor."];
            }
        }

        return errors.Count > 0
            ? null
            : new ProductListQuery(category, business, minPrice, maxPrice, effectiveStatus, parsedSort, pageSize ?? ProductListQuery.DefaultPageSize, after, after is null ? null : cursor);
    }
}

/// <summary>The key that signs list cursors; the same on every replica.</summary>
public sealed record CursorKey(byte[] Bytes);
