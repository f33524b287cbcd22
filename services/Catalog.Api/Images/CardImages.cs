using Catalog.Api.Model;
using Npgsql;

namespace Catalog.Api.Images;

/// <summary>
/// Adds each card's first image (the media variant URL a list card shows and its placeholder) with one
/// query per page, so a phone draws a list without a request per product.
/// </summary>
internal static class CardImages
{
    public static async Task<List<ProductCard>> AttachAsync(NpgsqlConnection connection, List<ProductCard> cards, CancellationToken cancellationToken)
    {
        if (cards.Count == 0)
        {
            return cards;
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT DISTINCT ON (product_id) product_id, url, placeholder
            FROM product_images WHERE product_id = ANY($1)
            ORDER BY product_id, position, id
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = cards.Select(c => c.Id).ToArray() });
        var images = new Dictionary<long, CardImage>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                images[reader.GetInt64(0)] = new CardImage(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }
        }

        return cards.Select(card => images.TryGetValue(card.Id, out var image) ? card with { Image = image } : card).ToList();
    }
}
