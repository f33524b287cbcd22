using System.Diagnostics;
using k8s;
using k8s.Models;
using Hive.Testing;

namespace Hive.Deploy.Tests;

/// <summary>The checked-in deploy/k8s, read back through the Kubernetes models and, for the overlays, through kustomize.</summary>
internal static class DeployFolder
{
    public static string Root => Path.Combine(RepositoryRoot.Path, "deploy", "k8s");

    public static string ManifestPath => Path.Combine(RepositoryRoot.Path, "aspire-manifest.json");

    /// <summary>Every file under deploy/k8s by its path relative to it, except the operator's own secrets.env.</summary>
    public static SortedDictionary<string, string> Files()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
            if (relative != "overlays/dev/secrets.env")
            {
                files[relative] = File.ReadAllText(file);
            }
        }

        return files;
    }

    /// <summary>The base's objects, typed by their kind; strict, so a field the API does not know fails here.</summary>
    public static IReadOnlyList<IKubernetesObject> BaseObjects() =>
        [.. Files().Where(f => f.Key.StartsWith("base/", StringComparison.Ordinal) && f.Key != "base/kustomization.yaml")
            .SelectMany(f => KubernetesYaml.LoadAllFromString(f.Value, typeMap: null, strict: true))
            .Cast<IKubernetesObject>()];

    public static IEnumerable<T> OfKind<T>(this IEnumerable<IKubernetesObject> objects) => objects.OfType<T>();

    /// <summary>
    /// Builds an overlay with kubectl's kustomize, as a deployer would. The dev overlay needs a secrets.env:
    /// the example is copied to a scratch copy of the tree with dummy values, never into the repository.
    /// </summary>
    public static async Task<string> BuildOverlayAsync(string overlay)
    {
        var scratch = Directory.CreateTempSubdirectory("hive-k8s-");
        try
        {
            CopyTree(Root, scratch.FullName);
            var example = Path.Combine(scratch.FullName, "overlays", "dev", "secrets.env.example");
            var lines = File.ReadAllLines(example).Select(l => l.StartsWith('#') ? l : l + "not-a-real-value");
            await File.WriteAllLinesAsync(Path.Combine(scratch.FullName, "overlays", "dev", "secrets.env"), lines);

            var info = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(scratch.FullName, "overlays", overlay)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay} failed: {await error}");
            return await output;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public static IEnumerable<V1Container> AllContainers(this V1PodSpec pod) => pod.Containers.Concat(pod.InitContainers ?? []);
}
