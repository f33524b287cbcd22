using Hive.ServiceDefaults;

namespace Catalog.Api.Orders;

/// <summary>
/// The position after the last order of a page, in the fleet's one signed cursor format
/// (<see cref="KeysetCursor"/>) and bound to the list it came from (a buyer's or a business's), so it can
/// neither be forged nor carried to another caller's list.
/// </summary>
public sealed record OrderCursor(string Scope, DateTimeOffset CreatedAt, long Id)
{
    private const string Sort = "newest";

    public string Encode(byte[] key) => new KeysetCursor(ListScope(Scope), Sort, null, CreatedAt.UtcTicks, Id).Encode(key);

    /// <summary>Null when the text is not a cursor this service issued for <paramref name="scope"/>.</summary>
    public static OrderCursor? TryDecode(string text, string scope, byte[] key)
        => KeysetCursor.TryOpen(text, ListScope(scope), Sort, key) is { Time: { } createdAt } cursor
            ? new OrderCursor(scope, createdAt, cursor.Id)
            : null;

    private static string ListScope(string scope) => "orders:" + scope;
}
