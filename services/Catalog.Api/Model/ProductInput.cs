using System.Text.RegularExpressions;
using Hive.ServiceDefaults;

namespace Catalog.Api.Model;

/// <summary>
/// A product body from a seller. Only these fields are read: an id, business or timestamp in the body is
/// ignored (the business comes from the token, the rest from the database). Null means "unchanged" on update.
/// </summary>
public sealed partial record ProductInput(
    string? Name,
    string? Slug,
    string? Description,
    decimal? Price,
    int? Stock,
    string? Status,
    bool? Featured,
    int? CategoryId)
{
    public const decimal MaxPrice = 100_000_000m;

    /// <summary>More than any one seller holds; keeps stock plus returned orders far from the column's limit.</summary>
    public const int MaxStock = 1_000_000;

    /// <summary>
    /// The input as it will be stored, with its field errors: text cleaned (see <see cref="StoredText"/>),
    /// and <see cref="Featured"/> dropped unless the caller may feature products (admins only).
    /// </summary>
    public (ProductInput Input, ValidationErrors Errors) Prepare(bool creating, bool mayFeature)
    {
        var invalidText = new ValidationErrors();
        var name = CleanField(Name, "name", multiline: false, invalidText)?.Trim();
        var description = CleanField(Description, "description", multiline: true, invalidText);
        var prepared = this with { Name = name, Description = description, Featured = mayFeature ? Featured : null };
        var errors = prepared.Validate(creating);
        foreach (var (field, messages) in invalidText)
        {
            errors[field] = messages;
        }

        return (prepared, errors);
    }

    private static string? CleanField(string? text, string field, bool multiline, ValidationErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        var cleaned = StoredText.Clean(text, multiline);
        if (cleaned is null)
        {
            errors[field] = [$"{field} is not valid Unicode text (it holds a lone surrogate)."];
        }

        return cleaned ?? text;
    }

    /// <summary>Field errors keyed by the JSON name; empty when valid.</summary>
    public ValidationErrors Validate(bool creating)
    {
        var errors = new ValidationErrors();
        if (creating)
        {
            Require(errors, "name", Name);
            Require(errors, "categoryId", CategoryId);
            Require(errors, "price", Price);
        }

        if (Name is not null && (string.IsNullOrWhiteSpace(Name) || Name.Length > 200))
        {
            errors["name"] = ["Name must be 1 to 200 characters."];
        }

        if (Slug is not null && (Slug.Length > 120 || !SlugPattern().IsMatch(Slug)))
        {
            errors["slug"] = ["Slug must be lower-case letters and digits separated by single hyphens, at most 120 characters."];
        }

        if (Description is { Length: > 5000 })
        {
            errors["description"] = ["Description must be at most 5000 characters."];
        }

        if (Price is { } price && (price < 0 || price > MaxPrice || decimal.Round(price, 2) != price))
        {
            errors["price"] = [$"Price must be between 0 and {MaxPrice:0} KES with at most 2 decimals."];
        }

        if (Stock is < 0 or > MaxStock)
        {
            errors["stock"] = [$"Stock must be between 0 and {MaxStock}."];
        }

        if (Status is not null && !ProductStatus.All.Contains(Status))
        {
            errors["status"] = [$"Status must be one of {string.Join(", ", ProductStatus.All)}."];
        }

        if (CategoryId is <= 0)
        {
            errors["categoryId"] = ["CategoryId must be a positive id."];
        }

        return errors;
    }

    /// <summary>A slug made from the name when a new product has none: ASCII letters and digits, hyphenated.</summary>
    public static string SlugFrom(string name, long suffix)
    {
        var normalized = name.Normalize(System.Text.NormalizationForm.FormD);
        var ascii = new string(normalized.Where(c => c < 128).ToArray()).ToLowerInvariant();
        var slug = NonSlugChars().Replace(ascii, "-").Trim('-');
        slug = slug.Length > 100 ? slug[..100].TrimEnd('-') : slug;
        return string.IsNullOrEmpty(slug) ? $"product-{suffix}" : $"{slug}-{suffix}";
    }

    private static void Require<T>(ValidationErrors errors, string field, T? value)
    {
        if (value is null)
        {
            errors[field] = [$"'{field}' is required."];
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();

    [GeneratedRegex("[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonSlugChars();
}
