using System.Globalization;
using System.Text;
using Hive.ServiceDefaults;

namespace Catalog.Api.Orders;

/// <summary>
/// The position after the last order of a page, signed like list cursors and bound to the list it came
/// from (a buyer's or a business's), so it can neither be forged nor carried to another caller's list.
/// </summary>
public sealed record OrderCursor(string Scope, DateTimeOffset CreatedAt, long Id)
{
    private const int MacLength = 12;

    public string Encode(byte[] key)
        => SignedPayload.Seal(
            Encoding.UTF8.GetBytes($"o|{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{Id.ToString(CultureInfo.InvariantCulture)}|{Scope}"),
            key,
            MacLength);

    /// <summary>Null when the text is not a cursor this service issued for <paramref name="scope"/>.</summary>
    public static OrderCursor? TryDecode(string text, string scope, byte[] key)
    {
        var body = SignedPayload.TryOpen(text, key, MacLength, maxLength: 400);
        if (body is null)
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(body).Split('|', 4);
        return parts.Length == 4 && parts[0] == "o" && parts[3] == scope
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? new OrderCursor(scope, new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
    }
}
