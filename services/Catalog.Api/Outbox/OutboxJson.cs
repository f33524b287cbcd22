using System.Text.Json;

namespace Catalog.Api.Outbox;

/// <summary>How outbox payloads are written and read: camelCase JSON, names matched without regard to case.</summary>
internal static class OutboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
