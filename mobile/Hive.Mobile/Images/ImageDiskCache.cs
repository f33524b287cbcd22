using System.Security.Cryptography;
using System.Text;
using Hive.Mobile.Storage;

namespace Hive.Mobile.Images;

/// <summary>
/// Image bytes as files (one per URL and Accept), indexed in SQLite by last use; beyond the byte budget
/// the least recently drawn go first. Files, not blobs, so a platform image view can open them directly.
/// </summary>
internal sealed class ImageDiskCache
{
    private readonly LocalDatabase _database;
    private readonly string _folder;
    private readonly long _budgetBytes;
    private readonly TimeProvider _clock;

    public ImageDiskCache(LocalDatabase database, string folder, long budgetBytes, TimeProvider clock)
    {
        _database = database;
        _folder = folder;
        _budgetBytes = budgetBytes;
        _clock = clock;
        Directory.CreateDirectory(folder);
    }

    public static string KeyFor(string url, string accept)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accept + "\n" + url)));

    public async Task<(byte[] Bytes, string ContentType)?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE images SET used_at = $now WHERE key = $key RETURNING file, content_type";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$now", _clock.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var file = Path.Combine(_folder, reader.GetString(0));
        var contentType = reader.GetString(1);
        try
        {
            return (await File.ReadAllBytesAsync(file, cancellationToken), contentType);
        }
        catch (FileNotFoundException)
        {
            // The platform cleared its cache folder; the index row is forgotten on the next store.
            return null;
        }
    }

    public async Task SetAsync(string key, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        if (bytes.Length > _budgetBytes)
        {
            return;
        }

        var name = key + ".img";
        var temporary = Path.Combine(_folder, name + ".tmp");
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, Path.Combine(_folder, name), overwrite: true);

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText =
                """
                INSERT INTO images (key, file, content_type, size, used_at) VALUES ($key, $file, $type, $size, $now)
                ON CONFLICT (key) DO UPDATE SET file = excluded.file, content_type = excluded.content_type, size = excluded.size, used_at = excluded.used_at
                """;
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$file", name);
            command.Parameters.AddWithValue("$type", contentType);
            command.Parameters.AddWithValue("$size", bytes.Length);
            command.Parameters.AddWithValue("$now", _clock.GetUtcNow().ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var trim = connection.CreateCommand())
        {
            trim.CommandText =
                """
                DELETE FROM images WHERE key IN (
                    SELECT key FROM (SELECT key, sum(size) OVER (ORDER BY used_at DESC, key) AS running FROM images)
                    WHERE running > $budget)
                RETURNING file
                """;
            trim.Parameters.AddWithValue("$budget", _budgetBytes);
            await using var reader = await trim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                File.Delete(Path.Combine(_folder, reader.GetString(0)));
            }
        }
    }

    public async Task<long> SizeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(size), 0) FROM images";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
