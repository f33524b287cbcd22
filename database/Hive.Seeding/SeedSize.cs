namespace Hive.Seeding;

/// <summary>
/// How much data to generate. Images (1–4 per product), order lines (1–4 per order) and outbox
/// messages (one per 20 products) follow from these counts.
/// </summary>
public sealed record SeedSize(string Name, int Businesses, int Products, int Orders, int AnalyticsEvents)
{
    /// <summary>Enough rows for the query planner to choose the plans production sees; loads in seconds.</summary>
    public static SeedSize Small { get; } = new("small", 400, 30_000, 10_000, 120_000);

    /// <summary>A browsable marketplace for local development.</summary>
    public static SeedSize Demo { get; } = new("demo", 50, 2_000, 1_000, 20_000);

    /// <summary>Load-test scale: a national marketplace after a few years.</summary>
    public static SeedSize Large { get; } = new("large", 5_000, 200_000, 100_000, 1_000_000);

    /// <summary>Reads a configured size name; <c>none</c> and empty mean no seeding and give <c>null</c>.</summary>
    public static SeedSize? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" => null,
        "small" => Small,
        "demo" => Demo,
        "large" => Large,
        _ => throw new ArgumentException($"Unknown seed size '{name}'; use none, small, demo or large.", nameof(name)),
    };

    public override string ToString() => Name;
}
