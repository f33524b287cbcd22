using System.Globalization;
using System.Text.RegularExpressions;
using Hive.ServiceDefaults;
using Search.Api.Model;

namespace Search.Api.Querying;

/// <summary>
/// Turns the raw query string into a <see cref="SearchQuery"/> or a list of problems keyed by parameter
/// name. Limits are deliberate: long or term-heavy texts cost the database, not the client.
/// </summary>
internal static partial class SearchRequestParser
{
    public const int MaxQueryLength = 200;
    public const int MaxAutocompleteLength = 100;
    public const int MaxPageSize = 100;

    // numeric(12,2): anything larger cannot be a price.
    private const decimal MaxPrice = 9_999_999_999.99m;

    public static (SearchQuery? Query, ValidationErrors Errors) Parse(
        SearchRequest request,
        int defaultPageSize,
        byte[] cursorKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();

        var text = ParseText(request.Q, "q", MaxQueryLength, errors);

        string? category = null;
        if (!string.IsNullOrEmpty(request.Category))
        {
            if (request.Category.Length > 64 || !SlugPattern().IsMatch(request.Category))
            {
                errors["category"] = ["category must be a category slug such as 'phones-tablets'."];
            }
            else
            {
                category = request.Category;
            }
        }

        var minPrice = ParsePrice(request.MinPrice, "minPrice", errors);
        var maxPrice = ParsePrice(request.MaxPrice, "maxPrice", errors);
        if (minPrice is not null && maxPrice is not null && minPrice > maxPrice)
        {
            errors["minPrice"] = ["minPrice must not be greater than maxPrice."];
        }

        var sort = SearchSort.Relevance;
        if (!string.IsNullOrEmpty(request.Sort))
        {
            switch (request.Sort.ToLowerInvariant())
            {
                case "relevance": sort = SearchSort.Relevance; break;
                case "price": sort = SearchSort.Price; break;
                case "newest": sort = SearchSort.Newest; break;
                default: errors["sort"] = ["sort must be one of relevance, price, newest."]; break;
            }
        }

        var pageSize = errors.WholeNumber(request.PageSize, "pageSize", 1, MaxPageSize) ?? defaultPageSize;

        if (errors.Count > 0 || text is null)
        {
            return (null, errors);
        }

        var query = new SearchQuery(text, category, null, minPrice, maxPrice, sort, pageSize, null);
        if (!string.IsNullOrEmpty(request.Cursor))
        {
            var cursor = SearchCursor.TryDecode(request.Cursor, query.Fingerprint, sort, cursorKey);
            if (cursor is null)
            {
                errors["cursor"] = ["cursor is not a cursor of this search; pass the nextCursor of the previous page unchanged."];
                return (null, errors);
            }

            query = query with { Cursor = cursor };
        }

        return (query, errors);
    }

    /// <summary>Validates and normalises a search text; null (with an error under <paramref name="name"/>) when unusable.</summary>
    public static QueryText? ParseText(string? raw, string name, int maxLength, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(raw))
        {
            errors[name] = [$"{name} is required."];
            return null;
        }

        if (raw.Length > maxLength)
        {
            errors[name] = [$"{name} must be at most {maxLength} characters."];
            return null;
        }

        var text = QueryText.TryParse(raw);
        if (text is null)
        {
            errors[name] = [$"{name} is not valid Unicode text."];
            return null;
        }

        if (text.Terms.Count == 0)
        {
            errors[name] = [$"{name} must contain at least one letter or digit."];
            return null;
        }

        return text;
    }

    private static decimal? ParsePrice(string? raw, string name, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (raw.Length > 20
            || !decimal.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price)
            || price > MaxPrice)
        {
            errors[name] = [$"{name} must be a non-negative amount in KES, at most {MaxPrice.ToString(CultureInfo.InvariantCulture)}."];
            return null;
        }

        return price;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
