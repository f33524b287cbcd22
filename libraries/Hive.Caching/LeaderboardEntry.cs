namespace Hive.Caching;

/// <summary>One row of a leaderboard; <paramref name="Rank"/> starts at 1.</summary>
public sealed record LeaderboardEntry(string Member, double Score, int Rank);
