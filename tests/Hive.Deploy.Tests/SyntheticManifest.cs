using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hive.Deploy.Tests;

/// <summary>The real aspire-manifest.json with a change a future AppHost might make.</summary>
internal static class SyntheticManifest
{
    public static string WithSecretParameter(string name, string? defaultValue, string usedBy, string? envValue = null)
    {
        var root = Load();
        var input = new JsonObject { ["type"] = "string", ["secret"] = true };
        if (defaultValue is not null)
        {
            input["default"] = new JsonObject { ["value"] = defaultValue };
        }

        root["resources"]![name] = new JsonObject
        {
            ["type"] = "parameter.v0",
            ["value"] = $"{{{name}.inputs.value}}",
            ["inputs"] = new JsonObject { ["value"] = input },
        };
        root["resources"]![usedBy]!["env"]!["Payments__ApiKey"] = envValue ?? $"{{{name}.value}}";
        return root.ToJsonString();
    }

    public static string WithEnv(string project, string name, string value)
    {
        var root = Load();
        root["resources"]![project]!["env"]![name] = value;
        return root.ToJsonString();
    }

    private static JsonNode Load() => JsonNode.Parse(File.ReadAllText(DeployFolder.ManifestPath), documentOptions: new JsonDocumentOptions())!;
}
