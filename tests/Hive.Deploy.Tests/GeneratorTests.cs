using Hive.Deploy.Kubernetes;
using Hive.Deploy.Manifest;
using k8s;
using k8s.Models;

namespace Hive.Deploy.Tests;

/// <summary>The generator over manifests a future AppHost might publish: it follows the manifest, not today's list.</summary>
public sealed class GeneratorTests
{
    [Fact]
    public void ANewSecretParameterBecomesASecretKeyInBothOverlaysAndTheServiceReadsItFromTheSecret()
    {
        var files = Generate(SyntheticManifest.WithSecretParameter("payments-api-key", defaultValue: null, usedBy: "catalog"));

        var variable = CatalogVariable(files, "Payments__ApiKey");
        Assert.Equal(("hive-secrets", "payments-api-key"), (variable.ValueFrom?.SecretKeyRef?.Name, variable.ValueFrom?.SecretKeyRef?.Key));
        Assert.Contains("\npayments-api-key=\n", files["overlays/dev/secrets.env.example"], StringComparison.Ordinal);
        Assert.Contains("key: hive/payments-api-key", files["overlays/production/external-secret.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public void AValueMixingTextWithASecretIsComposedFromTheSecretKeyAtRunTime()
    {
        var files = Generate(SyntheticManifest.WithSecretParameter("payments-api-key", null, "catalog", "key={payments-api-key.value};price=$(not-a-reference)"));

        var composed = CatalogVariable(files, "Payments__ApiKey");
        var reference = CatalogVariable(files, "HIVE_REF_PAYMENTS_API_KEY");
        Assert.Equal("key=$(HIVE_REF_PAYMENTS_API_KEY);price=$$(not-a-reference)", composed.Value);
        Assert.Equal("payments-api-key", reference.ValueFrom.SecretKeyRef.Key);
    }

    [Fact]
    public void AProjectsAddressIsItsServiceInsideTheCluster()
    {
        var files = Generate(File.ReadAllText(DeployFolder.ManifestPath));

        var config = KubernetesYaml.LoadAllFromString(files["base/metrics.yaml"]).OfType<V1ConfigMap>().Single();
        Assert.Equal("http://catalog:8080", config.Data["services__catalog__http__0"]);
        Assert.Equal("8080", config.Data["HTTP_PORTS"]);
    }

    [Theory]
    [InlineData("{no-such-resource.value}")]
    [InlineData("{catalog.connectionString}")]
    [InlineData("{redis.bindings.tcp.certificate}")]
    [InlineData("{redis-password.inputs.value}")]
    public void AnExpressionTheGeneratorCannotPlaceFailsTheGenerationNamingIt(string expression)
    {
        var manifest = AspireManifest.Parse(SyntheticManifest.WithEnv("search", "Odd__Setting", expression));

        var error = Assert.Throws<ManifestException>(() => new KubernetesGenerator(manifest, new DeployPolicy()).Generate());
        Assert.Contains(expression.Trim('{', '}').Split('.')[0], error.Message, StringComparison.Ordinal);
    }

    private static SortedDictionary<string, string> Generate(string manifestJson) =>
        new KubernetesGenerator(AspireManifest.Parse(manifestJson), new DeployPolicy()).Generate();

    private static V1EnvVar CatalogVariable(SortedDictionary<string, string> files, string name) =>
        KubernetesYaml.LoadAllFromString(files["base/catalog.yaml"]).OfType<V1Deployment>().Single()
            .Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == name);
}
