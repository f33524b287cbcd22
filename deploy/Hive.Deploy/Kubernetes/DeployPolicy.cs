using Hive.Deploy.Manifest;

namespace Hive.Deploy.Kubernetes;

/// <summary>
/// What the manifest cannot say and a cluster needs: sizes, replica counts, autoscaling, volumes, names.
/// The figures come from deploy/SCALE-OUT.md (measured per-replica throughput on this fleet); change them
/// here and regenerate, never in the YAML.
/// </summary>
internal sealed class DeployPolicy
{
    public const string ImagePrefix = "hive/";

    /// <summary>The uid and gid every image runs as (scripts/images.sh creates it); never root.</summary>
    public const long RunAsUser = 10001;

    public string SecretName { get; init; } = "hive-secrets";

    public string ParametersConfigMapName { get; init; } = "hive-parameters";

    public string InfrastructureConfigMapName { get; init; } = "hive-infrastructure";

    public string ImageTag { get; init; } = "latest";

    /// <summary>Where the production overlay pulls images from; the dev overlay uses the loopback registry of scripts/images.sh.</summary>
    public string ProductionRegistry { get; init; } = "registry.example.com";

    public string DevRegistry { get; init; } = "localhost:5000";

    public ServiceSize DefaultSize { get; init; } = new("100m", "256Mi", "1", "512Mi");

    public IReadOnlyDictionary<string, ServicePolicy> Services { get; init; } = new Dictionary<string, ServicePolicy>(StringComparer.Ordinal)
    {
        // The read path: a cached GET costs ~0.7 ms of a core (SCALE-OUT.md), so CPU is what the autoscaler
        // follows, against a request of one core. The maxima cover 10x today's load; raise them beyond.
        ["catalog"] = new() { Replicas = 2, Autoscale = new(2, 12, 70), Size = new("1", "384Mi", "2", "768Mi") },
        ["search"] = new() { Replicas = 2, Autoscale = new(2, 12, 70), Size = new("1", "384Mi", "2", "768Mi") },
        // libvips renders into native memory outside the GC heap: room for a few concurrent 1920px renders.
        ["media"] = new()
        {
            Replicas = 2,
            Autoscale = new(2, 8, 65),
            Size = new("1", "768Mi", "2", "2Gi"),
            Volumes = [new("media-data", "/data/media", "50Gi")],
        },
        ["gateway"] = new() { Replicas = 2, Autoscale = new(2, 12, 70), Size = new("1", "256Mi", "2", "512Mi") },
        // Two: its Data Protection key ring is in the database (KeyRingDb), so a sign-in cookie or an
        // antiforgery token made by one replica opens on the other; its signing certificates are parameters.
        ["identity"] = new() { Replicas = 2 },
        // One replica refreshes the views under a Redis lock; the second is there for failover only.
        ["metrics"] = new() { Replicas = 2 },
        ["migrator"] = new() { Size = new("250m", "256Mi", "2", "1Gi") },
    };

    /// <summary>
    /// Settings every project that validates tokens gets in the cluster unless the manifest sets them: the
    /// identity service is reached inside the cluster through its Service over plain HTTP (TLS ends at the
    /// ingress or in the mesh), and ASP.NET Core refuses an http discovery document in Production otherwise,
    /// which turns every request, /health/live included, into a 500.
    /// </summary>
    public IReadOnlyDictionary<string, string> TokenValidationSettings { get; init; } = new Dictionary<string, string>
    {
        ["Hive__Auth__RequireHttpsMetadata"] = "false",
    };

    /// <summary>Settings the production overlay changes from the manifest's (which describes a demo fleet).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ProductionSettings { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            // Demo data belongs to the dev fleet only.
            ["migrator"] = new Dictionary<string, string> { ["Hive__Seed"] = "none" },
            // Tokens name the public address, not the gateway's Service inside the cluster.
            ["identity"] = new Dictionary<string, string> { ["Identity__Issuer"] = "https://hive.example.com" },
        };

    public ServicePolicy For(string name) => Services.TryGetValue(name, out var policy) ? policy : new ServicePolicy();

    public ServiceSize SizeOf(string name) => For(name).Size ?? DefaultSize;

    /// <summary>The port a binding listens on in its container: the manifest's when it fixes one, else 8080 for http, 8443 for https.</summary>
    public int ContainerPort(ManifestBinding binding) =>
        binding.TargetPort ?? (binding.Scheme == "https" ? 8443 : 8080);

    public static string Image(string resourceName) => ImagePrefix + resourceName;
}

internal sealed record ServicePolicy
{
    public int Replicas { get; init; } = 1;

    public Autoscale? Autoscale { get; init; }

    public ServiceSize? Size { get; init; }

    public IReadOnlyList<VolumePolicy> Volumes { get; init; } = [];
}

internal sealed record ServiceSize(string CpuRequest, string MemoryRequest, string CpuLimit, string MemoryLimit);

internal sealed record Autoscale(int MinReplicas, int MaxReplicas, int TargetCpuPercent);

/// <summary>A claim shared by every replica (ReadWriteMany), e.g. the media originals.</summary>
internal sealed record VolumePolicy(string ClaimName, string MountPath, string Size);
