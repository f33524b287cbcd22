namespace Catalog.Api.Orders;

public sealed record OrderLineInput(long? ProductId, int? Quantity);

/// <summary>An order from a buyer; prices are always taken from the catalog, never from the body.</summary>
public sealed record OrderInput(string? CustomerName, string? CustomerPhone, string? DeliveryCounty, IReadOnlyList<OrderLineInput>? Lines)
{
    public const int MaxLines = 50;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(CustomerName) || CustomerName.Length > 120)
        {
            errors["customerName"] = ["customerName is required, at most 120 characters."];
        }

        if (string.IsNullOrWhiteSpace(CustomerPhone) || !System.Text.RegularExpressions.Regex.IsMatch(CustomerPhone, @"^\+?[0-9]{9,15}$"))
        {
            errors["customerPhone"] = ["customerPhone must be a phone number such as +254712345678."];
        }

        if (string.IsNullOrWhiteSpace(DeliveryCounty) || DeliveryCounty.Length > 60)
        {
            errors["deliveryCounty"] = ["deliveryCounty is required."];
        }

        if (Lines is null || Lines.Count == 0 || Lines.Count > MaxLines)
        {
            errors["lines"] = [$"An order has 1 to {MaxLines} lines."];
        }
        else if (Lines.Any(l => l.ProductId is not > 0 || l.Quantity is not (> 0 and <= 1000)))
        {
            errors["lines"] = ["Each line needs a productId and a quantity between 1 and 1000."];
        }
        else if (Lines.Select(l => l.ProductId).Distinct().Count() != Lines.Count)
        {
            errors["lines"] = ["Each product may appear on one line only."];
        }

        return errors;
    }
}

public sealed record OrderLine(int LineNo, long ProductId, int Quantity, decimal UnitPrice);

public sealed record Order(long Id, long BusinessId, string Status, decimal Total, string Currency, DateTimeOffset CreatedAt, IReadOnlyList<OrderLine> Lines);
