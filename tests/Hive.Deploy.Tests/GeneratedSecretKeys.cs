using k8s;

namespace Hive.Deploy.Tests;

/// <summary>
/// The Secret keys both overlays supply: the dev overlay's secrets.env.example and the production
/// ExternalSecret must list the same keys, or one of the two environments would start without a value.
/// </summary>
internal sealed class GeneratedSecretKeys
{
    private readonly HashSet<string> _keys;

    public GeneratedSecretKeys()
    {
        var files = DeployFolder.Files();
        var dev = files["overlays/dev/secrets.env.example"].Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)])
            .ToHashSet(StringComparer.Ordinal);

        var external = (IDictionary<object, object>)KubernetesYaml.Deserialize<Dictionary<object, object>>(files["overlays/production/external-secret.yaml"]);
        var spec = (IDictionary<object, object>)external["spec"];
        var production = ((IEnumerable<object>)spec["data"]).Select(d => (string)((IDictionary<object, object>)d)["secretKey"]).ToHashSet(StringComparer.Ordinal);

        Assert.True(dev.SetEquals(production), $"dev and production supply different secret keys: {string.Join(", ", dev.Except(production).Concat(production.Except(dev)))}");
        _keys = dev;
    }

    public bool Contains(string key) => _keys.Contains(key);
}
