using System.Text.Json;

namespace Hive.Deploy.Manifest;

/// <summary>One resource of the manifest: a project, an infrastructure container, a parameter or a value.</summary>
internal sealed record ManifestResource(
    string Name,
    string Type,
    string? Path,
    string? Image,
    string? ConnectionString,
    string? Value,
    string? Filter,
    bool IsSecret,
    ParameterDefault? Default,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    IReadOnlyList<ManifestBinding> Bindings)
{
    public static ManifestResource Parse(string name, JsonElement json)
    {
        var input = json.TryGetProperty("inputs", out var inputs) && inputs.TryGetProperty("value", out var value) ? value : default;
        return new ManifestResource(
            name,
            String(json, "type") ?? throw new ManifestException($"Resource '{name}' has no type."),
            String(json, "path"),
            String(json, "image"),
            String(json, "connectionString"),
            String(json, "value"),
            String(json, "filter"),
            input.ValueKind == JsonValueKind.Object && input.TryGetProperty("secret", out var secret) && secret.GetBoolean(),
            input.ValueKind == JsonValueKind.Object && input.TryGetProperty("default", out var @default) ? ParameterDefault.Parse(@default) : null,
            json.TryGetProperty("env", out var env)
                ? [.. env.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString() ?? ""))]
                : [],
            json.TryGetProperty("bindings", out var bindings)
                ? [.. bindings.EnumerateObject().Select(p => ManifestBinding.Parse(p.Name, p.Value))]
                : []);
    }

    private static string? String(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

internal sealed record ManifestBinding(string Name, string Scheme, string Transport, int? TargetPort, bool External)
{
    public static ManifestBinding Parse(string name, JsonElement json) => new(
        name,
        json.TryGetProperty("scheme", out var scheme) ? scheme.GetString() ?? "tcp" : "tcp",
        json.TryGetProperty("transport", out var transport) ? transport.GetString() ?? "tcp" : "tcp",
        json.TryGetProperty("targetPort", out var port) && port.ValueKind == JsonValueKind.Number ? port.GetInt32() : null,
        json.TryGetProperty("external", out var external) && external.GetBoolean());
}

/// <summary>A parameter's default: a fixed value, or a value the deployer generates (length, special characters).</summary>
internal sealed record ParameterDefault(string? Value, int? GenerateMinLength, bool GenerateSpecial)
{
    public static ParameterDefault Parse(JsonElement json)
    {
        if (json.TryGetProperty("value", out var value))
        {
            return new ParameterDefault(value.GetString(), null, false);
        }

        var generate = json.TryGetProperty("generate", out var g) ? g : default;
        return new ParameterDefault(
            null,
            generate.ValueKind == JsonValueKind.Object && generate.TryGetProperty("minLength", out var length) ? length.GetInt32() : 22,
            generate.ValueKind != JsonValueKind.Object || !generate.TryGetProperty("special", out var special) || special.GetBoolean());
    }
}
