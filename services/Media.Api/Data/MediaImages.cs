using Npgsql;

namespace Media.Api.Data;

/// <summary>Media's own rows. The only catalog table it reads is <c>products</c>, to learn who owns one.</summary>
public sealed class MediaImages(NpgsqlDataSource db)
{
    private const string Columns = "id, product_id, business_id, version, storage_key, content_type, width, height, bytes, placeholder, blurhash, position, alt_text";

    /// <summary>The business that owns the product, or null when there is no such product.</summary>
    public async Task<long?> ProductOwnerAsync(long productId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT business_id FROM products WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = productId });
        return await command.ExecuteScalarAsync(cancellationToken) is long owner ? owner : null;
    }

    public async Task<MediaImage?> GetAsync(long imageId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM media_images WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = imageId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<MediaImage>> ForProductAsync(long productId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM media_images WHERE product_id = $1 ORDER BY position, id");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = productId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var images = new List<MediaImage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            images.Add(Read(reader));
        }

        return images;
    }

    /// <summary>Runs a write and the outbox row announcing it in one transaction: both commit, or neither.</summary>
    public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, tx);
        await tx.CommitAsync(cancellationToken);
        return result;
    }

    public static async Task<MediaImage> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long productId, long businessId, NewOriginal original, string altText, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO media_images (product_id, business_id, storage_key, content_type, width, height, bytes, placeholder, blurhash, position, alt_text)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                    (SELECT COALESCE(MAX(position) + 1, 0) FROM media_images WHERE product_id = $1), $10)
            RETURNING {Columns}
            """,
            connection,
            tx);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = productId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = businessId });
        AddOriginal(command, original);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = altText });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Read(reader);
    }

    /// <summary>Points the image at a new original and bumps its version; null when it is gone.</summary>
    public static async Task<MediaImage?> ReplaceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long imageId, NewOriginal original, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            UPDATE media_images
               SET storage_key = $1, content_type = $2, width = $3, height = $4, bytes = $5, placeholder = $6, blurhash = $7,
                   version = version + 1, updated_at = now()
             WHERE id = $8
            RETURNING {Columns}
            """,
            connection,
            tx);
        AddOriginal(command, original);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = imageId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Fills the placeholders of every seeded row sharing a demo original that has none yet.</summary>
    public async Task FillPlaceholdersAsync(string storageKey, long bytes, string placeholder, string blurHash, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("UPDATE media_images SET placeholder = $2, blurhash = $3, bytes = $4 WHERE storage_key = $1 AND placeholder = ''");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storageKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = placeholder });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = blurHash });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = bytes });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<bool> DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long imageId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM media_images WHERE id = $1", connection, tx);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = imageId });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Deletes every image of a product (the product itself was deleted); returns what was removed.</summary>
    public async Task<IReadOnlyList<MediaImage>> DeleteForProductAsync(long productId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"DELETE FROM media_images WHERE product_id = $1 RETURNING {Columns}");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = productId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var images = new List<MediaImage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            images.Add(Read(reader));
        }

        return images;
    }

    private static void AddOriginal(NpgsqlCommand command, NewOriginal original)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = original.StorageKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = original.ContentType });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = original.Width });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = original.Height });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = original.Bytes });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = original.Placeholder });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = original.BlurHash });
    }

    private static MediaImage Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetInt64(2),
        reader.GetInt32(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetInt32(6),
        reader.GetInt32(7),
        reader.GetInt64(8),
        reader.GetString(9),
        reader.GetString(10),
        reader.GetInt16(11),
        reader.GetString(12));
}
