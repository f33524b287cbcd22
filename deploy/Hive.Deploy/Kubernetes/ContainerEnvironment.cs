using k8s.Models;
using Hive.Deploy.Manifest;

namespace Hive.Deploy.Kubernetes;

/// <summary>
/// A project's environment split the Kubernetes way: fixed text in the project's ConfigMap (envFrom),
/// single Secret or ConfigMap keys as <c>valueFrom</c>, and values mixing text with secrets (a URI with a
/// password) composed by the kubelet through <c>$(NAME)</c> references to variables defined before them.
/// </summary>
internal sealed record ContainerEnvironment(IReadOnlyList<KeyValuePair<string, string>> Literals, IReadOnlyList<V1EnvVar> Variables)
{
    private const string ReferencePrefix = "HIVE_REF_";

    public static ContainerEnvironment Build(ManifestResource project, ExpressionResolver resolver)
    {
        var literals = new List<KeyValuePair<string, string>>();
        var direct = new List<V1EnvVar>();
        var composed = new List<(string Name, IReadOnlyList<ValueSource> Parts)>();
        var names = new Dictionary<ValueSource, string>();

        foreach (var (name, template) in project.Env)
        {
            var parts = resolver.Resolve(template);
            switch (parts)
            {
                case []:
                    literals.Add(KeyValuePair.Create(name, ""));
                    break;
                case [LiteralSource text]:
                    literals.Add(KeyValuePair.Create(name, text.Text));
                    break;
                case [var single]:
                    direct.Add(new V1EnvVar { Name = name, ValueFrom = From(single) });
                    names.TryAdd(single, name);
                    break;
                default:
                    composed.Add((name, parts));
                    break;
            }
        }

        // A source that no variable of its own carries gets one, so the composed values can refer to it.
        var references = new List<V1EnvVar>();
        foreach (var source in composed.SelectMany(c => c.Parts).Where(p => p is not LiteralSource).Distinct())
        {
            if (!names.ContainsKey(source))
            {
                var name = ReferencePrefix + Sanitize(Key(source));
                names.Add(source, name);
                references.Add(new V1EnvVar { Name = name, ValueFrom = From(source) });
            }
        }

        var values = composed.Select(c => new V1EnvVar
        {
            Name = c.Name,
            Value = string.Concat(c.Parts.Select(p => p is LiteralSource text
                ? text.Text.Replace("$(", "$$(", StringComparison.Ordinal)
                : $"$({names[p]})")),
        });

        return new ContainerEnvironment(literals, [.. direct, .. references, .. values]);
    }

    private static V1EnvVarSource From(ValueSource source) => source switch
    {
        SecretSource secret => new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Key = secret.Key, Name = secret.SecretName } },
        ConfigMapSource config => new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Key = config.Key, Name = config.ConfigMapName } },
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Text needs no source."),
    };

    private static string Key(ValueSource source) => source switch
    {
        SecretSource secret => secret.Key,
        ConfigMapSource config => config.Key,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Text needs no key."),
    };

    private static string Sanitize(string key) =>
        string.Concat(key.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));
}
