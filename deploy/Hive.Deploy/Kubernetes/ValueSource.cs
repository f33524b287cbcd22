namespace Hive.Deploy.Kubernetes;

/// <summary>
/// Where one piece of a manifest value comes from in the cluster: text fixed at generation time, a key of
/// the Secret (passwords, connection strings: values never in the repository), or a key of a ConfigMap
/// (where the infrastructure lives, parameters that are not secret).
/// </summary>
internal abstract record ValueSource;

internal sealed record LiteralSource(string Text) : ValueSource;

internal sealed record SecretSource(string SecretName, string Key) : ValueSource;

internal sealed record ConfigMapSource(string ConfigMapName, string Key) : ValueSource;
