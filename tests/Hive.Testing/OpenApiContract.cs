using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Hive.Testing;

/// <summary>
/// A service's OpenAPI document is a contract: docs/openapi/&lt;service&gt;.json is the checked-in copy the
/// mobile SDK is checked against. A service's own tests hold what it serves to that copy, so a change to an
/// operation's name, summary or worked examples fails where the change is made.
/// </summary>
public static class OpenApiContract
{
    public static string PathOf(string service) => System.IO.Path.Combine(RepositoryRoot.Path, "docs", "openapi", $"{service}.json");

    /// <summary>Fails unless <c>/openapi/v1.json</c> as served equals the checked-in copy (the server address aside).</summary>
    public static async Task AssertServedDocumentIsCheckedInAsync(HttpClient client, string service)
    {
        ArgumentNullException.ThrowIfNull(client);
        var live = Normalize(await client.GetStringAsync("/openapi/v1.json"));
        var committed = Normalize(await File.ReadAllTextAsync(PathOf(service)));
        Assert.True(
            committed == live,
            $"The {service} API's document differs from docs/openapi/{service}.json; if the change is intended, update it with "
            + "HIVE_UPDATE_OPENAPI=1 dotnet test tests/Hive.Mobile.Tests --filter FullyQualifiedName~OpenApiDocument and commit it.\n" + live);
    }

    /// <summary>Indented, with the server address left out (it names the port of a run).</summary>
    public static string Normalize(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("servers");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
