using System.Text.Json;
using Hive.Contracts;
using Hive.Messaging;
using Hive.Testing;

namespace Hive.Gateway.Tests;

/// <summary>
/// <see cref="HiveServices"/> is the one list of the fleet's services: the gateway's routes, the AppHost's
/// projects (through the published manifest) and the invalidation queues must all agree with it.
/// </summary>
public sealed class FleetServiceListTests
{
    [Fact]
    public void TheGatewayRoutesToEveryServiceBehindItAndToNothingElse()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "gateway", "Hive.Gateway", "appsettings.json")));
        var proxy = settings.RootElement.GetProperty("ReverseProxy");
        var clusters = proxy.GetProperty("Clusters").EnumerateObject().ToDictionary(
            cluster => cluster.Name,
            cluster => cluster.Value.GetProperty("Destinations").EnumerateObject().Select(destination => new Uri(destination.Value.GetProperty("Address").GetString()!).Host).ToList());
        var routedClusters = proxy.GetProperty("Routes").EnumerateObject().Select(route => route.Value.GetProperty("ClusterId").GetString()!).ToHashSet();

        Assert.All(routedClusters, cluster => Assert.True(clusters.ContainsKey(cluster), $"A route names the cluster '{cluster}', which is not defined."));
        var routedServices = clusters.Where(cluster => routedClusters.Contains(cluster.Key)).SelectMany(cluster => cluster.Value).ToHashSet();
        Assert.Equal(HiveServices.BehindTheGateway.Order(), routedServices.Order());
    }

    [Fact]
    public void TheAppHostRunsExactlyTheListedServicesAndTheMigrator()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "aspire-manifest.json")));
        var projects = manifest.RootElement.GetProperty("resources").EnumerateObject()
            .Where(resource => resource.Value.GetProperty("type").GetString() == "project.v0")
            .Select(resource => resource.Name)
            .ToHashSet();

        Assert.Equal(HiveServices.All.Append("migrator").Order(), projects.Order());
    }

    [Fact]
    public void EveryServiceThatConsumesProductChangesHasItsOwnQueue()
    {
        Assert.Equal(HiveServices.ProductChangeConsumers, ProductChangedQueues.Services);
        Assert.Equal(
            HiveServices.ProductChangeConsumers.Count,
            HiveServices.ProductChangeConsumers.Select(ProductChangedQueues.For).Distinct().Count());
        Assert.Subset(HiveServices.All.ToHashSet(), HiveServices.ProductChangeConsumers.ToHashSet());
    }
}
