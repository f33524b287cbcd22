namespace Hive.Caching;

/// <summary>Time buckets of a leaderboard, cut by Redis time (UTC): this hour, today, this week (Monday start), or all time.</summary>
public enum LeaderboardWindow
{
    AllTime,
    Hour,
    Day,
    Week,
}
