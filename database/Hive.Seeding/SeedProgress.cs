namespace Hive.Seeding;

/// <summary>How far loading one table has come.</summary>
public sealed record SeedProgress(string Table, long Rows, long TotalRows, TimeSpan Elapsed)
{
    public bool Completed => Rows >= TotalRows;

    public double Fraction => TotalRows == 0 ? 1 : (double)Rows / TotalRows;

    public double RowsPerSecond => Elapsed.TotalSeconds <= 0 ? 0 : Rows / Elapsed.TotalSeconds;
}
