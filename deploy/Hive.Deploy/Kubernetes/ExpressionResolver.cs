using System.Text;
using Hive.Deploy.Manifest;

namespace Hive.Deploy.Kubernetes;

/// <summary>
/// Turns a manifest value such as <c>postgresql://postgres:{postgres-password-uri-encoded.value}@{postgres.bindings.tcp.host}</c>
/// into the cluster's sources for it. Projects become Services of this deployment (their URLs are known);
/// infrastructure is referenced, not run: its host and port are ConfigMap keys and its connection string a
/// Secret key that the operator points at a managed service or an operator-run cluster. Every parameter
/// marked secret is a Secret key, whatever its name, so new parameters in the AppHost need no change here.
/// An expression it cannot place fails the generation instead of leaking into a manifest as text.
/// </summary>
internal sealed class ExpressionResolver(AspireManifest manifest, DeployPolicy policy)
{
    private readonly AspireManifest _manifest = manifest;
    private readonly DeployPolicy _policy = policy;

    public IReadOnlyList<ValueSource> Resolve(string template)
    {
        var parts = new List<ValueSource>();
        var literal = new StringBuilder();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            if (open < 0)
            {
                literal.Append(template, position, template.Length - position);
                break;
            }

            var close = template.IndexOf('}', open);
            if (close < 0)
            {
                throw new ManifestException($"Unclosed expression in '{template}'.");
            }

            literal.Append(template, position, open - position);
            foreach (var part in ResolveExpression(template[(open + 1)..close]))
            {
                if (part is LiteralSource text)
                {
                    literal.Append(text.Text);
                    continue;
                }

                Flush();
                parts.Add(part);
            }

            position = close + 1;
        }

        Flush();
        return parts;

        void Flush()
        {
            if (literal.Length > 0)
            {
                parts.Add(new LiteralSource(literal.ToString()));
                literal.Clear();
            }
        }
    }

    private IReadOnlyList<ValueSource> ResolveExpression(string expression)
    {
        var path = expression.Split('.');
        var resource = _manifest[path[0]];
        var rest = string.Join('.', path[1..]);

        return (resource.Type, rest) switch
        {
            (ResourceTypes.Parameter, "value") => [resource.IsSecret
                ? new SecretSource(_policy.SecretName, resource.Name)
                : new ConfigMapSource(_policy.ParametersConfigMapName, resource.Name)],
            (ResourceTypes.AnnotatedString, "value") => [Filtered(resource)],
            (ResourceTypes.Project, _) when path.Length == 4 && path[1] == "bindings" => [new LiteralSource(ProjectBinding(resource, path[2], path[3]))],
            (_, _) when path.Length == 4 && path[1] == "bindings" => [new ConfigMapSource(_policy.InfrastructureConfigMapName, InfrastructureKey(resource, path[2], path[3]))],
            (not ResourceTypes.Project, "connectionString") => ConnectionString(resource),
            _ => throw new ManifestException($"The expression '{{{expression}}}' has no place in a Kubernetes deployment (resource type {resource.Type})."),
        };
    }

    /// <summary>A filtered value (e.g. URI-encoded) is its own key: the cluster cannot apply the filter at run time.</summary>
    private ValueSource Filtered(ManifestResource resource)
    {
        var inner = Resolve(resource.Value ?? "");
        if (inner.All(p => p is LiteralSource))
        {
            var text = string.Concat(inner.Cast<LiteralSource>().Select(p => p.Text));
            return new LiteralSource(resource.Filter == "uri" ? Uri.EscapeDataString(text) : text);
        }

        return inner.Any(p => p is SecretSource)
            ? new SecretSource(_policy.SecretName, resource.Name)
            : new ConfigMapSource(_policy.ParametersConfigMapName, resource.Name);
    }

    /// <summary>
    /// A connection string that is text alone (the TLS conditions of a container form) stays text; any other
    /// is a Secret key, since in a cluster it names a managed or operator-run server with its credentials.
    /// </summary>
    private IReadOnlyList<ValueSource> ConnectionString(ManifestResource resource)
    {
        if (resource.ConnectionString is null)
        {
            throw new ManifestException($"Resource '{resource.Name}' has no connection string.");
        }

        var inner = Resolve(resource.ConnectionString);
        return inner.All(p => p is LiteralSource) ? inner : [new SecretSource(_policy.SecretName, ConnectionStringKey(resource.Name))];
    }

    private string ProjectBinding(ManifestResource project, string bindingName, string property)
    {
        var binding = project.Bindings.FirstOrDefault(b => b.Name == bindingName)
            ?? throw new ManifestException($"Project '{project.Name}' has no binding '{bindingName}'.");
        var port = _policy.ContainerPort(binding);
        return property switch
        {
            "targetPort" or "port" => port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "host" => project.Name,
            "scheme" => binding.Scheme,
            "url" => $"{binding.Scheme}://{project.Name}:{port}",
            _ => throw new ManifestException($"Binding property '{property}' of '{project.Name}' is unknown."),
        };
    }

    public static string ConnectionStringKey(string resourceName) => $"connectionstrings.{resourceName}";

    public static string InfrastructureKey(ManifestResource resource, string bindingName, string property) =>
        property is "host" or "port" or "targetPort" or "scheme" or "url"
            ? $"{resource.Name}.{bindingName}.{property}"
            : throw new ManifestException($"Binding property '{property}' of '{resource.Name}' is unknown.");
}
