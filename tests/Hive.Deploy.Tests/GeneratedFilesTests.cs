using Hive.Deploy.Kubernetes;
using Hive.Deploy.Manifest;
using k8s;
using k8s.Models;

namespace Hive.Deploy.Tests;

public sealed class GeneratedFilesTests
{
    [Fact]
    public void CheckedInKubernetesFilesMatchWhatTheGeneratorWritesFromTheAspireManifest()
    {
        var expected = new KubernetesGenerator(AspireManifest.Load(DeployFolder.ManifestPath), new DeployPolicy()).Generate();
        var actual = DeployFolder.Files();

        const string Fix = "deploy/k8s is stale against aspire-manifest.json: run `bash deploy/generate.sh` and commit deploy/k8s.";
        Assert.True(expected.Keys.SequenceEqual(actual.Keys),
            $"{Fix} Missing: {string.Join(", ", expected.Keys.Except(actual.Keys))}; extra: {string.Join(", ", actual.Keys.Except(expected.Keys))}");
        foreach (var (path, text) in expected)
        {
            Assert.True(text == actual[path], $"{Fix} Differs: {path}");
        }
    }

    [Fact]
    public void EveryBaseFileRoundTripsThroughTheKubernetesModelsUnchanged()
    {
        foreach (var (path, text) in DeployFolder.Files().Where(f => f.Key.StartsWith("base/", StringComparison.Ordinal) && f.Key != "base/kustomization.yaml"))
        {
            // Strict: an unknown field or a wrong type (a string where the API wants a number) throws.
            var objects = KubernetesYaml.LoadAllFromString(text, typeMap: null, strict: true);
            Assert.NotEmpty(objects);
            var again = KubernetesGenerator.Header + string.Join("---\n", objects.Select(KubernetesGenerator.Serialize));
            Assert.True(text == again, $"{path} does not survive a round trip through the Kubernetes models");
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public async Task EachOverlayBuildsWithKustomizeIntoObjectsTheKubernetesModelsAccept(string overlay)
    {
        var (objects, externalSecrets) = Split(await DeployFolder.BuildOverlayAsync(overlay));

        Assert.Contains(objects, o => o is V1Deployment);
        Assert.Contains(objects, o => o is V1Job);
        Assert.All(objects, o => Assert.Equal(overlay == "dev" ? "hive-dev" : "hive", o.Metadata.NamespaceProperty));
        if (overlay == "production")
        {
            Assert.Contains("name: hive-secrets", Assert.Single(externalSecrets), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task InTheBuiltDevOverlayEverySecretReferenceFindsItsKeyInTheGeneratedSecret()
    {
        var (objects, _) = Split(await DeployFolder.BuildOverlayAsync("dev"));

        var secret = Assert.Single(objects.OfType<V1Secret>());
        var pods = objects.OfType<V1Deployment>().Select(d => d.Spec.Template.Spec).Concat(objects.OfType<V1Job>().Select(j => j.Spec.Template.Spec));
        var references = pods.SelectMany(p => p.AllContainers()).SelectMany(c => c.Env).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>().ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r =>
        {
            // kustomize renames the generated Secret (content hash) and every reference with it.
            Assert.Equal(secret.Metadata.Name, r.Name);
            Assert.True(secret.Data.ContainsKey(r.Key), $"the dev Secret has no key {r.Key}");
        });
        Assert.All(objects.OfType<V1Deployment>(), d => Assert.Equal(1, d.Spec.Replicas));
        Assert.All(objects.OfType<V2HorizontalPodAutoscaler>(), a => Assert.Equal(1, a.Spec.MinReplicas));
    }

    /// <summary>The objects the Kubernetes models know (strictly parsed) and the External Secrets resources, which are CRDs.</summary>
    private static (IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects, IReadOnlyList<string> ExternalSecrets) Split(string built)
    {
        var documents = built.Split("\n---\n");
        var external = documents.Where(d => d.Contains("apiVersion: external-secrets.io/", StringComparison.Ordinal)).ToList();
        var objects = KubernetesYaml.LoadAllFromString(string.Join("\n---\n", documents.Except(external)), typeMap: null, strict: true);
        return ([.. objects.Cast<IKubernetesObject<V1ObjectMeta>>()], external);
    }

    [Fact]
    public void NoGeneratedFileHoldsASecretValue()
    {
        var manifest = AspireManifest.Parse(SyntheticManifest.WithSecretParameter("payments-api-key", defaultValue: "sk_live_do_not_leak_42", "catalog"));

        var files = new KubernetesGenerator(manifest, new DeployPolicy()).Generate();

        Assert.DoesNotContain(files, f => f.Value.Contains("sk_live_do_not_leak_42", StringComparison.Ordinal));
        Assert.Contains("payments-api-key", files["overlays/production/external-secret.yaml"], StringComparison.Ordinal);
    }
}
