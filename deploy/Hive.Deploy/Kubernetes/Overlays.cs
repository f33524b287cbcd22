using Hive.Deploy.Manifest;

namespace Hive.Deploy.Kubernetes;

/// <summary>
/// The Kustomize overlays over the generated base. dev: one replica each, images from the loopback
/// registry, the Secret from a local <c>secrets.env</c> that git ignores. production: images from the
/// registry, the Secret from the cluster's secret store through External Secrets, and the settings the
/// demo manifest gets wrong for production. Neither holds a secret value.
/// </summary>
internal sealed class Overlays(DeployPolicy policy, IReadOnlyList<ManifestResource> projects, IReadOnlyDictionary<string, string> secretKeys)
{
    private readonly DeployPolicy _policy = policy;
    private readonly IReadOnlyList<ManifestResource> _projects = projects;
    private readonly IReadOnlyDictionary<string, string> _secretKeys = secretKeys;

    public IEnumerable<KeyValuePair<string, string>> Generate()
    {
        var header = KubernetesGenerator.Header;
        var deployments = _projects.Where(p => p.Bindings.Count > 0).Select(p => p.Name).ToList();

        yield return KeyValuePair.Create("overlays/dev/kustomization.yaml", header + KubernetesGenerator.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["namespace"] = "hive-dev",
            ["resources"] = new[] { "../../base" },
            ["images"] = Images(_policy.DevRegistry, "dev"),
            ["replicas"] = deployments.Select(name => new Dictionary<string, object> { ["name"] = name, ["count"] = 1 }).ToList(),
            ["patches"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["target"] = new Dictionary<string, string> { ["kind"] = "HorizontalPodAutoscaler" },
                    ["patch"] = "- op: replace\n  path: /spec/minReplicas\n  value: 1\n",
                },
            },
            ["secretGenerator"] = new[]
            {
                new Dictionary<string, object> { ["name"] = _policy.SecretName, ["envs"] = new[] { "secrets.env" } },
            },
        }));

        yield return KeyValuePair.Create("overlays/dev/secrets.env.example", string.Concat(
            "# Copy to secrets.env (git ignores it) and fill in every key: secret parameters with random letters and\n",
            "# digits of the length noted, connection strings with the dev infrastructure's addresses and passwords.\n",
            string.Concat(_secretKeys.Select(k => $"# {k.Value}\n{k.Key}=\n"))));
        yield return KeyValuePair.Create("overlays/dev/.gitignore", "secrets.env\n");

        var patches = _policy.ProductionSettings.Where(s => _projects.Any(p => p.Name == s.Key)).ToList();
        yield return KeyValuePair.Create("overlays/production/kustomization.yaml", header + KubernetesGenerator.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["namespace"] = "hive",
            ["resources"] = new[] { "../../base", "external-secret.yaml" },
            ["images"] = Images(_policy.ProductionRegistry, "1.0.0"),
            ["patches"] = patches.Select(p => new Dictionary<string, object> { ["path"] = $"{p.Key}-env.yaml" }).ToList(),
        }));

        foreach (var (project, settings) in patches)
        {
            yield return KeyValuePair.Create($"overlays/production/{project}-env.yaml", header + KubernetesGenerator.Serialize(new Dictionary<string, object>
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new Dictionary<string, string> { ["name"] = $"{project}-env" },
                ["data"] = new SortedDictionary<string, string>(settings.ToDictionary(), StringComparer.Ordinal),
            }));
        }

        yield return KeyValuePair.Create("overlays/production/external-secret.yaml", header + KubernetesGenerator.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = "external-secrets.io/v1beta1",
            ["kind"] = "ExternalSecret",
            ["metadata"] = new Dictionary<string, string> { ["name"] = _policy.SecretName },
            ["spec"] = new Dictionary<string, object>
            {
                ["refreshInterval"] = "1h",
                ["secretStoreRef"] = new Dictionary<string, string> { ["kind"] = "ClusterSecretStore", ["name"] = "hive" },
                ["target"] = new Dictionary<string, string> { ["name"] = _policy.SecretName, ["creationPolicy"] = "Owner" },
                ["data"] = _secretKeys.Keys.Select(key => new Dictionary<string, object>
                {
                    ["secretKey"] = key,
                    ["remoteRef"] = new Dictionary<string, string> { ["key"] = $"hive/{key}" },
                }).ToList(),
            },
        }));
    }

    private List<Dictionary<string, string>> Images(string registry, string tag) =>
        [.. _projects.Select(p => new Dictionary<string, string>
        {
            ["name"] = DeployPolicy.Image(p.Name),
            ["newName"] = $"{registry}/{DeployPolicy.Image(p.Name)}",
            ["newTag"] = tag,
        })];
}
