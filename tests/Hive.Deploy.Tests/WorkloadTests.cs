using System.Text.RegularExpressions;
using k8s.Models;

namespace Hive.Deploy.Tests;

/// <summary>What every workload in the generated base must have, read back through the Kubernetes models.</summary>
public sealed partial class WorkloadTests
{
    private static readonly IReadOnlyList<k8s.IKubernetesObject> Objects = DeployFolder.BaseObjects();

    private static IEnumerable<V1Deployment> Deployments => Objects.OfKind<V1Deployment>();

    [Fact]
    public void EveryProjectOfTheManifestIsADeploymentOrAJob()
    {
        var projects = Hive.Deploy.Manifest.AspireManifest.Load(DeployFolder.ManifestPath).Projects.Select(p => p.Name).Order();
        var workloads = Deployments.Select(d => d.Metadata.Name).Concat(Objects.OfKind<V1Job>().Select(j => j.Metadata.Name)).Order();

        Assert.Equal(projects, workloads);
        Assert.Contains("gateway", workloads);
    }

    [Fact]
    public void EveryDeploymentIsProbedOnItsReadyAndLiveHealthEndpoints()
    {
        foreach (var deployment in Deployments)
        {
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            var port = Assert.Single(container.Ports);
            Assert.Equal("/health/ready", container.ReadinessProbe?.HttpGet?.Path);
            Assert.Equal("/health/live", container.LivenessProbe?.HttpGet?.Path);
            Assert.Equal(port.Name, container.ReadinessProbe!.HttpGet.Port.Value);
            Assert.Equal(port.Name, container.LivenessProbe!.HttpGet.Port.Value);
        }
    }

    [Fact]
    public void EveryContainerHasResourceRequestsAndLimitsAndRunsAsNonRootWithoutPrivileges()
    {
        var pods = Deployments.Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(Objects.OfKind<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template.Spec)));
        foreach (var (name, pod) in pods)
        {
            Assert.True(pod.SecurityContext.RunAsNonRoot, $"{name} may run as root");
            Assert.True(pod.SecurityContext.RunAsUser > 0, $"{name} runs as uid 0");
            Assert.False(pod.AutomountServiceAccountToken, $"{name} mounts an API token it never uses");
            foreach (var container in pod.AllContainers())
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container.Resources.Requests.ContainsKey(resource), $"{name}/{container.Name} requests no {resource}");
                    Assert.True(container.Resources.Limits.ContainsKey(resource), $"{name}/{container.Name} has no {resource} limit");
                    Assert.True(container.Resources.Requests[resource].ToDecimal() <= container.Resources.Limits[resource].ToDecimal(),
                        $"{name}/{container.Name} requests more {resource} than its limit");
                }

                Assert.False(container.SecurityContext.AllowPrivilegeEscalation, $"{name}/{container.Name} may escalate");
                Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, $"{name}/{container.Name} writes its image");
                Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            }
        }
    }

    [Theory]
    [InlineData("catalog")]
    [InlineData("search")]
    [InlineData("media")]
    [InlineData("gateway")]
    public void TheScaledServicesHaveADisruptionBudgetAndACpuAutoscalerOverTheirDeployment(string name)
    {
        var deployment = Assert.Single(Deployments, d => d.Metadata.Name == name);
        var podLabels = deployment.Spec.Template.Metadata.Labels;

        var budget = Assert.Single(Objects.OfKind<V1PodDisruptionBudget>(), b => b.Metadata.Name == name);
        Assert.All(budget.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, podLabels[label.Key]));
        Assert.Equal(1, budget.Spec.MaxUnavailable?.Value is string s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : -1);

        var autoscaler = Assert.Single(Objects.OfKind<V2HorizontalPodAutoscaler>(), a => a.Metadata.Name == name);
        Assert.Equal(("Deployment", name), (autoscaler.Spec.ScaleTargetRef.Kind, autoscaler.Spec.ScaleTargetRef.Name));
        Assert.True(autoscaler.Spec.MinReplicas >= 2, $"{name} may scale to one replica, which a disruption would take down");
        Assert.True(autoscaler.Spec.MaxReplicas > autoscaler.Spec.MinReplicas);
        var metric = Assert.Single(autoscaler.Spec.Metrics);
        Assert.Equal("cpu", metric.Resource.Name);
    }

    [Fact]
    public void EveryServiceSelectsItsDeploymentsPodsOnANamedContainerPort()
    {
        foreach (var service in Objects.OfKind<V1Service>())
        {
            var deployment = Assert.Single(Deployments, d => d.Metadata.Name == service.Metadata.Name);
            var pod = deployment.Spec.Template;
            Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, pod.Metadata.Labels[label.Key]));
            foreach (var port in service.Spec.Ports)
            {
                Assert.Contains(pod.Spec.Containers.Single().Ports, p => p.Name == port.TargetPort.Value);
            }
        }

        Assert.Equal(Deployments.Count(), Objects.OfKind<V1Service>().Count());
    }

    [Fact]
    public void TheMigratorRunsAsAJobAndEveryServiceWaitsForTheSchemaItWrites()
    {
        var job = Assert.Single(Objects.OfKind<V1Job>());
        Assert.Equal("migrator", job.Metadata.Name);
        var migrator = Assert.Single(job.Spec.Template.Spec.Containers);

        foreach (var deployment in Deployments)
        {
            var wait = Assert.Single(deployment.Spec.Template.Spec.InitContainers);
            Assert.Equal(migrator.Image, wait.Image);
            Assert.Contains("--Hive:Migrator:Mode=wait", wait.Args);
            Assert.Contains(wait.Env, e => e.Name == "ConnectionStrings__hive");
        }
    }

    [Fact]
    public void EveryKeyAContainerReadsExistsInTheConfigMapsOrIsASecretKeyTheOverlaysSupply()
    {
        var configMaps = Objects.OfKind<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data);
        var secretKeys = new GeneratedSecretKeys();
        foreach (var deployment in Deployments)
        {
            foreach (var container in deployment.Spec.Template.Spec.AllContainers())
            {
                Assert.All(container.EnvFrom, from => Assert.True(configMaps.ContainsKey(from.ConfigMapRef.Name), $"no ConfigMap {from.ConfigMapRef.Name}"));
                foreach (var variable in container.Env.Where(e => e.ValueFrom is not null))
                {
                    if (variable.ValueFrom.ConfigMapKeyRef is { } config)
                    {
                        Assert.True(configMaps.TryGetValue(config.Name, out var data) && data.ContainsKey(config.Key), $"{variable.Name}: no key {config.Key} in {config.Name}");
                    }
                    else
                    {
                        var secret = variable.ValueFrom.SecretKeyRef;
                        Assert.Equal("hive-secrets", secret.Name);
                        Assert.True(secretKeys.Contains(secret.Key), $"{deployment.Metadata.Name}/{variable.Name}: the overlays supply no secret key {secret.Key}");
                    }
                }
            }
        }
    }

    [Fact]
    public void ComposedValuesReferOnlyToVariablesDefinedBeforeThem()
    {
        foreach (var deployment in Deployments)
        {
            foreach (var container in deployment.Spec.Template.Spec.AllContainers())
            {
                var configMapKeys = container.EnvFrom.SelectMany(f => Objects.OfKind<V1ConfigMap>().Single(c => c.Metadata.Name == f.ConfigMapRef.Name).Data.Keys);
                var defined = new HashSet<string>(configMapKeys, StringComparer.Ordinal);
                foreach (var variable in container.Env)
                {
                    foreach (Match reference in Reference().Matches(variable.Value ?? ""))
                    {
                        Assert.True(defined.Contains(reference.Groups[1].Value),
                            $"{deployment.Metadata.Name}/{container.Name} {variable.Name} refers to $({reference.Groups[1].Value}) before it is defined");
                    }

                    defined.Add(variable.Name);
                }
            }
        }
    }

    [Fact]
    public void NoSecretIsWrittenAsTextIntoAnEnvironmentValue()
    {
        foreach (var container in Deployments.SelectMany(d => d.Spec.Template.Spec.AllContainers()))
        {
            // Passwords and connection strings come only from the Secret; a literal one would be in the repository.
            Assert.DoesNotContain(container.Env, e => e.Value is not null && e.Name.Contains("PASSWORD", StringComparison.Ordinal) && !e.Value.StartsWith("$(", StringComparison.Ordinal));
            // A connection string comes from the Secret whole, or is composed in the pod from parts whose
            // password is itself a reference to a Secret key (a per-service role's login).
            Assert.All(container.Env.Where(e => e.Name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && e.ValueFrom?.SecretKeyRef is null), e =>
            {
                Assert.NotNull(e.Value);
                var password = PasswordPart().Match(e.Value);
                Assert.True(password.Success, $"{e.Name} is written as text without a password reference: {e.Value}");
                var reference = password.Groups[1].Value[2..^1];
                var source = container.Env.SingleOrDefault(v => v.Name == reference);
                Assert.True(source?.ValueFrom?.SecretKeyRef is not null, $"{e.Name}'s password $({reference}) does not come from a Secret");
            });
        }
    }

    [GeneratedRegex(@"(?<!\$)\$\(([^)]+)\)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"Password=(\$\([A-Z0-9_]+\))(;|$)")]
    private static partial Regex PasswordPart();
}
