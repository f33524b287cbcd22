using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Search.Api.Tests.Apis;

[Collection(SearchCollection.Name)]
public sealed class SearchHitImageTests(SearchFixture fixture)
{
    [Fact]
    public async Task AHitCarriesItsProductsFirstImageUrlAndPlaceholderLikeACatalogCard()
    {
        long withImages;
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var pick = new NpgsqlCommand("SELECT id FROM products WHERE name = 'Nokia 105' ORDER BY id LIMIT 1", connection);
            withImages = (long)(await pick.ExecuteScalarAsync())!;
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO product_images (product_id, url, position, width, height, alt_text, placeholder) VALUES
                    ($1, '/api/media/images/9001/small', 1, 800, 800, 'back', 'second'),
                    ($1, '/api/media/images/9000/small', 0, 800, 800, 'front', 'HBkSHYSIeHiPiHh8eJd4eTN0EEQG')
                """,
                connection);
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = withImages });
            await insert.ExecuteNonQueryAsync();
        }

        // A price filter no other test uses, so no cached answer from before the images exists.
        using var answer = JsonDocument.Parse(await fixture.Client.GetStringAsync("/api/search?q=nokia%20105&minPrice=1.23&pageSize=20"));

        var hits = answer.RootElement.GetProperty("hits").EnumerateArray().ToList();
        var hit = Assert.Single(hits, h => h.GetProperty("id").GetInt64() == withImages);
        var image = hit.GetProperty("image");
        Assert.Equal("/api/media/images/9000/small", image.GetProperty("url").GetString());
        Assert.Equal("HBkSHYSIeHiPiHh8eJd4eTN0EEQG", image.GetProperty("placeholder").GetString());
        Assert.Contains(hits, h => h.GetProperty("id").GetInt64() != withImages && h.GetProperty("image").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task AnImageWithoutAPlaceholderYetIsShownWithANullPlaceholder()
    {
        long product;
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var pick = new NpgsqlCommand("SELECT id FROM products WHERE name = 'Radio FM Kichwa' ORDER BY id LIMIT 1", connection);
            product = (long)(await pick.ExecuteScalarAsync())!;
            // Media fills the placeholder in after the upload; until then the row has none.
            await using var insert = new NpgsqlCommand(
                "INSERT INTO product_images (product_id, url, position, width, height) VALUES ($1, '/api/media/images/9100/small', 0, 640, 480)",
                connection);
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = product });
            await insert.ExecuteNonQueryAsync();
        }

        using var answer = JsonDocument.Parse(await fixture.Client.GetStringAsync("/api/search?q=radio%20kichwa&minPrice=1.24&pageSize=20"));

        var hit = Assert.Single(answer.RootElement.GetProperty("hits").EnumerateArray(), h => h.GetProperty("id").GetInt64() == product);
        Assert.Equal("/api/media/images/9100/small", hit.GetProperty("image").GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("image").GetProperty("placeholder").ValueKind);
    }
}
