namespace Hive.ServiceDefaults;

/// <summary>The claims every Hive access token carries (the shared token contract of the fleet).</summary>
public static class HiveClaims
{
    /// <summary>The user id (string).</summary>
    public const string Subject = "sub";

    /// <summary>One claim per role: <see cref="HiveRoles"/>.</summary>
    public const string Role = "role";

    /// <summary>The business a seller acts for (sellers only).</summary>
    public const string BusinessId = "business_id";

    /// <summary>The audience every Hive service accepts.</summary>
    public const string Audience = "hive-api";
}

/// <summary>The three roles a Hive token can carry.</summary>
public static class HiveRoles
{
    public const string Buyer = "buyer";
    public const string Seller = "seller";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Buyer, Seller, Admin];
}

/// <summary>Authorization policy names registered by <c>AddHiveAuthentication</c>: one per role.</summary>
public static class HivePolicies
{
    public const string Buyer = HiveRoles.Buyer;
    public const string Seller = HiveRoles.Seller;
    public const string Admin = HiveRoles.Admin;
}
