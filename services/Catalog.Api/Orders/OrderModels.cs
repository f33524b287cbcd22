using Catalog.Api.Model;
using Hive.ServiceDefaults;

namespace Catalog.Api.Orders;

public sealed record OrderLineInput(long? ProductId, int? Quantity);

/// <summary>An order from a buyer; prices are always taken from the catalog, never from the body.</summary>
public sealed partial record OrderInput(string? CustomerName, string? CustomerPhone, string? DeliveryCounty, IReadOnlyList<OrderLineInput>? Lines)
{
    public const int MaxLines = 50;

    public const int MaxQuantity = 1000;

    /// <summary>numeric(12,2): the largest total the orders table can hold.</summary>
    public const decimal MaxTotal = 9_999_999_999.99m;

    /// <summary>The input as it will be stored (names cleaned, see <see cref="StoredText"/>) and its field errors.</summary>
    public (OrderInput Input, ValidationErrors Errors) Prepare()
    {
        var name = CustomerName is null ? null : StoredText.Clean(CustomerName, multiline: false)?.Trim();
        var county = DeliveryCounty is null ? null : StoredText.Clean(DeliveryCounty, multiline: false)?.Trim();
        var prepared = this with { CustomerName = name, DeliveryCounty = county };
        var errors = prepared.Validate();
        if (CustomerName is not null && name is null)
        {
            errors["customerName"] = ["customerName is not valid Unicode text."];
        }

        if (DeliveryCounty is not null && county is null)
        {
            errors["deliveryCounty"] = ["deliveryCounty is not valid Unicode text."];
        }

        return (prepared, errors);
    }

    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(CustomerName) || CustomerName.Length > 120)
        {
            errors["customerName"] = ["customerName is required, at most 120 characters."];
        }

        if (string.IsNullOrWhiteSpace(CustomerPhone) || !PhonePattern().IsMatch(CustomerPhone))
        {
            errors["customerPhone"] = ["customerPhone must be a phone number such as +254712345678."];
        }

        if (string.IsNullOrWhiteSpace(DeliveryCounty) || DeliveryCounty.Length > 60)
        {
            errors["deliveryCounty"] = ["deliveryCounty is required, at most 60 characters."];
        }

        if (Lines is null || Lines.Count == 0 || Lines.Count > MaxLines)
        {
            errors["lines"] = [$"An order has 1 to {MaxLines} lines."];
        }
        else if (Lines.Any(l => l is null || l.ProductId is not > 0 || l.Quantity is not (> 0 and <= MaxQuantity)))
        {
            errors["lines"] = [$"Each line needs a productId and a quantity between 1 and {MaxQuantity}."];
        }
        else if (Lines.Select(l => l.ProductId).Distinct().Count() != Lines.Count)
        {
            errors["lines"] = ["Each product may appear on one line only."];
        }

        return errors;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\+?[0-9]{9,15}\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex PhonePattern();
}

public sealed record OrderLine(int LineNo, long ProductId, int Quantity, decimal UnitPrice);

public sealed record Order(long Id, long BusinessId, string Status, decimal Total, string Currency, DateTimeOffset CreatedAt, IReadOnlyList<OrderLine> Lines);

/// <summary>One keyset page of orders, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record OrderPage(IReadOnlyList<Order> Items, string? NextCursor);

public static class OrderStatus
{
    public const string Pending = "pending";
    public const string Paid = "paid";
    public const string Cancelled = "cancelled";

    /// <summary>A buyer may cancel until the order ships; cancelling a cancelled order changes nothing.</summary>
    public static bool Cancellable(string status) => status is Pending or Paid;
}
