using Npgsql;
using Search.Api.Model;

namespace Search.Api.Data;

/// <summary>
/// Adds each hit's first image (catalog's product_images: media's card URL and placeholder) with one
/// query per page, the way catalog's list cards get theirs; a hit without images keeps a null image.
/// </summary>
internal static class HitImages
{
    public static async Task<List<SearchHit>> AttachAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<SearchHit> hits, CancellationToken cancellationToken)
    {
        if (hits.Count == 0)
        {
            return hits;
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT DISTINCT ON (product_id) product_id, url, placeholder
            FROM product_images WHERE product_id = ANY($1)
            ORDER BY product_id, position, id
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = hits.Select(h => h.Id).ToArray() });
        var images = new Dictionary<long, CardImage>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                images[reader.GetInt64(0)] = new CardImage(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }
        }

        return hits.Select(hit => images.TryGetValue(hit.Id, out var image) ? hit with { Image = image } : hit).ToList();
    }
}
