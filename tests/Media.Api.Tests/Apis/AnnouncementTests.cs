using System.Net;
using System.Text;
using System.Text.Json;
using Hive.Messaging;
using RabbitMQ.Client;

namespace Media.Api.Tests.Apis;

/// <summary>Reads media's image announcements off catalog's queue, as catalog's consumer would.</summary>
internal static class CatalogQueue
{
    public static async Task<List<Announcement>> DrainUntilAsync(Uri rabbit, Func<Announcement, bool> done, TimeSpan deadline)
    {
        var factory = new ConnectionFactory { Uri = rabbit };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var received = new List<Announcement>();
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            var message = await channel.BasicGetAsync(RabbitMqTopology.CatalogProductImagesQueue, autoAck: true);
            if (message is null)
            {
                await Task.Delay(50);
                continue;
            }

            using var envelope = JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span));
            var body = envelope.RootElement.GetProperty("message").Deserialize<Announcement>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            received.Add(body);
            if (done(body))
            {
                return received;
            }
        }

        throw new TimeoutException($"No matching announcement on {RabbitMqTopology.CatalogProductImagesQueue} within {deadline}; saw {received.Count}.");
    }

    internal sealed record Announcement(long ImageId, long ProductId, long BusinessId, string Kind, int Version, string CardUrl, string Placeholder);
}

[Collection(MediaCollection.Name)]
public sealed class AnnouncementTests(MediaFixture fixture)
{
    [Fact]
    public async Task AnUploadReplaceAndDeleteAreAnnouncedToCatalogInOrder()
    {
        await RabbitMqTopology.DeclareProductImageQueueAsync(fixture.RabbitMqUri, CancellationToken.None);
        using var seller = fixture.Seller(MediaFixture.BusinessA);

        var image = await seller.UploadOkAsync(5, Pictures.Jpeg(400, 300));
        using (var replaced = await seller.ReplaceAsync(image.Id, Pictures.Jpeg(300, 400), "new.jpg"))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        using (var deleted = await seller.DeleteAsync($"/api/media/images/{image.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var seen = await CatalogQueue.DrainUntilAsync(fixture.RabbitMqUri, a => a.ImageId == image.Id && a.Kind == "Deleted", TimeSpan.FromSeconds(60));

        var mine = seen.Where(a => a.ImageId == image.Id).ToList();
        Assert.Equal(["Added", "Replaced", "Deleted"], mine.Select(a => a.Kind));
        Assert.Equal([1, 2, 2], mine.Select(a => a.Version));
        Assert.All(mine, a => Assert.Equal((5L, MediaFixture.BusinessA), (a.ProductId, a.BusinessId)));
        Assert.Equal(image.Placeholder, mine[0].Placeholder);
        Assert.Equal(image.CardUrl, mine[0].CardUrl);
        Assert.NotEqual(mine[0].CardUrl, mine[1].CardUrl); // the replacement's URL carries its new version
    }
}

[Collection(MediaBrokerOutageCollection.Name)]
public sealed class BrokerOutageTests(MediaFixture fixture)
{
    [Fact]
    public async Task AnUploadMadeWhileTheBrokerIsDownSucceedsAndIsAnnouncedWhenTheBrokerReturns()
    {
        await RabbitMqTopology.DeclareProductImageQueueAsync(fixture.RabbitMqUri, CancellationToken.None);
        using var seller = fixture.Seller(MediaFixture.BusinessA);

        await fixture.RabbitMq.StopAsync();
        long imageId;
        try
        {
            using var response = await seller.UploadAsync(3, Pictures.Jpeg(640, 480));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            imageId = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Api.Apis.ImageAnswer>(response.Content))!.Id;
            Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM media_images WHERE id = $1", imageId));
            Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM media_outbox WHERE aggregate_id = $1 AND published_at IS NULL", imageId));
        }
        finally
        {
            await fixture.RabbitMq.StartAsync(TimeSpan.FromSeconds(90));
        }

        var seen = await CatalogQueue.DrainUntilAsync(fixture.RabbitMqUri, a => a.ImageId == imageId, TimeSpan.FromSeconds(90));

        var announcement = Assert.Single(seen, a => a.ImageId == imageId);
        Assert.Equal(("Added", 3L, 1), (announcement.Kind, announcement.ProductId, announcement.Version));
        await Hive.Testing.Eventually.TrueAsync(
            async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM media_outbox WHERE aggregate_id = $1 AND published_at IS NOT NULL", imageId) == 1,
            TimeSpan.FromSeconds(30),
            "the outbox row is marked published");
    }
}
