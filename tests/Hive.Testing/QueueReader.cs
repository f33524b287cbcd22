using System.Text.Json;
using RabbitMQ.Client;

namespace Hive.Testing;

/// <summary>Reads what services published into a queue no consumer of the test's own drains (for example the metrics service's analytics queue).</summary>
public static class QueueReader
{
    /// <summary>Takes every message waiting in <paramref name="queue"/> and returns the message of each MassTransit envelope.</summary>
    public static async Task<List<JsonElement>> TakeMessagesAsync(Uri broker, string queue)
    {
        var factory = new ConnectionFactory { Uri = broker };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var messages = new List<JsonElement>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } delivery)
        {
            messages.Add(JsonDocument.Parse(delivery.Body).RootElement.GetProperty("message").Clone());
        }

        return messages;
    }
}
