using System.Text.Json;
using Hive.Testing;

namespace Hive.Mobile.Tests.Contract;

/// <summary>The checked-in OpenAPI documents of the services (docs/openapi/{service}.json).</summary>
internal static class OpenApiDocuments
{
    public static string PathOf(string service) => OpenApiContract.PathOf(service);

    public static JsonElement Load(string service)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf(service)));
        return document.RootElement.Clone();
    }
}
