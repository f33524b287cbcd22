namespace Hive.Seeding;

/// <summary>Everything the generated data depends on: the same options always give the same rows.</summary>
public sealed record SeedOptions(SeedSize Size, int Seed)
{
    /// <summary>
    /// The "now" that timestamps count back from. Defaults to today's midnight (UTC), so a seed run
    /// twice on the same day gives identical rows while the data still looks recent.
    /// </summary>
    public DateTime Anchor { get; init; } = DateTime.UtcNow.Date;
}
