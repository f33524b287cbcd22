using Npgsql;

namespace Metrics.Api.Infrastructure;

/// <summary>
/// Postgres as the fleet uses it: connections by state against <c>max_connections</c> (every service's pool
/// together), and the slowest statements by mean time from <c>pg_stat_statements</c>.
/// </summary>
public sealed class PostgresProbe(NpgsqlDataSource db, TimeProvider clock)
{
    private const string ConnectionsSql = """
        SELECT coalesce(state, 'unknown'), count(*)::bigint,
               (SELECT setting::bigint FROM pg_settings WHERE name = 'max_connections')
        FROM pg_stat_activity
        WHERE backend_type = 'client backend'
        GROUP BY 1
        """;

    private const string SlowQueriesSql = """
        SELECT query, calls, mean_exec_time, max_exec_time, total_exec_time, rows
        FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY mean_exec_time DESC
        LIMIT $1
        """;

    public async Task<PostgresOverview> ReadAsync(int slowQueries, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            var byState = new Dictionary<string, long>(StringComparer.Ordinal);
            long max = 0;
            await using (var command = new NpgsqlCommand(ConnectionsSql, connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    byState[reader.GetString(0)] = reader.GetInt64(1);
                    max = reader.GetInt64(2);
                }
            }

            var total = byState.Values.Sum();
            var pool = new ConnectionUsage(total, byState.GetValueOrDefault("active"), byState.GetValueOrDefault("idle"), max, max == 0 ? 0 : Math.Round((double)total / max, 4), byState);
            var (statements, unavailable) = await ReadSlowQueriesAsync(connection, slowQueries, cancellationToken);
            return new PostgresOverview(true, clock.GetUtcNow(), pool, statements, unavailable, null);
        }
        catch (NpgsqlException ex)
        {
            return new PostgresOverview(false, clock.GetUtcNow(), null, [], null, ex.Message);
        }
    }

    private static async Task<(IReadOnlyList<SlowQuery>, string?)> ReadSlowQueriesAsync(NpgsqlConnection connection, int limit, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(SlowQueriesSql, connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var result = new List<SlowQuery>();
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new SlowQuery(
                    reader.GetString(0),
                    reader.GetInt64(1),
                    Math.Round(reader.GetDouble(2), 3),
                    Math.Round(reader.GetDouble(3), 3),
                    Math.Round(reader.GetDouble(4), 3),
                    reader.GetInt64(5)));
            }

            return (result, null);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.ObjectNotInPrerequisiteState)
        {
            // The server runs without the extension preloaded (a container started without our settings).
            return ([], ex.MessageText);
        }
    }
}

public sealed record ConnectionUsage(long Connections, long Active, long Idle, long MaxConnections, double Usage, IReadOnlyDictionary<string, long> ByState);

public sealed record SlowQuery(string Query, long Calls, double MeanMs, double MaxMs, double TotalMs, long Rows);

public sealed record PostgresOverview(
    bool Reachable, DateTimeOffset TakenAt, ConnectionUsage? Connections, IReadOnlyList<SlowQuery> SlowQueries, string? SlowQueriesUnavailable, string? Error);
