using System.Text.Json;

namespace Hive.Deploy.Manifest;

/// <summary>
/// The resources of an <c>aspire-manifest.json</c> (the AppHost's manifest publisher), in the file's order.
/// Only the fields a deployment needs are read; anything else in a resource is ignored on purpose, so a
/// newer Aspire adding fields does not break the generator, while an expression it cannot place does.
/// </summary>
internal sealed class AspireManifest
{
    private readonly Dictionary<string, ManifestResource> _byName;

    private AspireManifest(IReadOnlyList<ManifestResource> resources)
    {
        Resources = resources;
        _byName = resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<ManifestResource> Resources { get; }

    public IEnumerable<ManifestResource> Projects => Resources.Where(r => r.Type == ResourceTypes.Project);

    public ManifestResource this[string name] => _byName.TryGetValue(name, out var resource)
        ? resource
        : throw new ManifestException($"The manifest has no resource '{name}'.");

    public static AspireManifest Load(string path) => Parse(File.ReadAllText(path));

    public static AspireManifest Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException("The manifest has no \"resources\" object.");
        }

        return new AspireManifest([.. resources.EnumerateObject().Select(p => ManifestResource.Parse(p.Name, p.Value))]);
    }
}

internal static class ResourceTypes
{
    public const string Project = "project.v0";
    public const string Container = "container.v0";
    public const string Parameter = "parameter.v0";
    public const string Value = "value.v0";
    public const string AnnotatedString = "annotated.string";
}

internal sealed class ManifestException(string message) : Exception(message);
