using Hive.Mobile.Storage;
using Microsoft.Data.Sqlite;

namespace Hive.Mobile.Caching;

/// <summary>
/// The second cache level: answers in SQLite, surviving restarts, within a byte budget (least recently
/// used out first). Private answers carry the user's id as their scope and go when that user signs out.
/// </summary>
internal sealed class DiskStore(LocalDatabase database, long budgetBytes, TimeProvider clock)
{
    public async Task<CachedResponse?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE responses SET used_at = $now WHERE key = $key RETURNING scope, kind, etag, body, validated_at";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CachedResponse(
            key,
            reader.GetString(0),
            (ResourceKind)reader.GetInt32(1),
            (byte[])reader.GetValue(3),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
    }

    public async Task SetAsync(CachedResponse entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (entry.Body.Length > budgetBytes)
        {
            // Not kept, and an older copy must not stay behind: the next run would show it as the latest.
            await using var remove = connection.CreateCommand();
            remove.CommandText = "DELETE FROM responses WHERE key = $key";
            remove.Parameters.AddWithValue("$key", entry.Key);
            await remove.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText =
                """
                INSERT INTO responses (key, scope, kind, etag, body, size, validated_at, used_at)
                VALUES ($key, $scope, $kind, $etag, $body, $size, $validated, $now)
                ON CONFLICT (key) DO UPDATE SET scope = excluded.scope, kind = excluded.kind, etag = excluded.etag,
                    body = excluded.body, size = excluded.size, validated_at = excluded.validated_at, used_at = excluded.used_at
                """;
            command.Parameters.AddWithValue("$key", entry.Key);
            command.Parameters.AddWithValue("$scope", entry.Scope);
            command.Parameters.AddWithValue("$kind", (int)entry.Kind);
            command.Parameters.AddWithValue("$etag", (object?)entry.ETag ?? DBNull.Value);
            command.Parameters.Add("$body", SqliteType.Blob).Value = entry.Body;
            command.Parameters.AddWithValue("$size", entry.Body.Length);
            command.Parameters.AddWithValue("$validated", entry.ValidatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$now", clock.GetUtcNow().ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await TrimAsync(connection, cancellationToken);
    }

    /// <summary>A 304 confirmed the stored body: only the validation time changes.</summary>
    public async Task RenewAsync(string key, DateTimeOffset validatedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE responses SET validated_at = $validated, used_at = $validated WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$validated", validatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RemoveScopeAsync(string scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM responses WHERE scope = $scope";
        command.Parameters.AddWithValue("$scope", scope);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<(int Count, long Bytes)> SizeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(sum(size), 0) FROM responses";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt64(1));
    }

    private async Task TrimAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // Deletes the least recently used rows beyond the budget in one statement: a running sum over recency.
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            DELETE FROM responses WHERE key IN (
                SELECT key FROM (
                    SELECT key, sum(size) OVER (ORDER BY used_at DESC, key) AS running FROM responses)
                WHERE running > $budget)
            """;
        command.Parameters.AddWithValue("$budget", budgetBytes);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
