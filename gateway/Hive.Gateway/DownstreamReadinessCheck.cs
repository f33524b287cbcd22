using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace Hive.Gateway;

/// <summary>
/// The gateway is ready only when every cluster behind it has a destination whose own /health/ready
/// answers; an operator sees which service is not.
/// </summary>
internal sealed class DownstreamReadinessCheck(
    IProxyStateLookup proxyState,
    IHttpClientFactory httpClientFactory,
    IOptions<GatewayOptions> options) : IHealthCheck
{
    public const string HttpClientName = "downstream-readiness";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var clusters = proxyState.GetClusters().ToList();
        var results = await Task.WhenAll(clusters.Select(cluster => ProbeClusterAsync(client, cluster, cancellationToken)));

        var data = results.ToDictionary(r => r.Cluster, r => (object)r.Status);
        var failing = results.Where(r => r.Status != "Healthy").Select(r => $"{r.Cluster}: {r.Status}").ToList();
        return failing.Count == 0
            ? HealthCheckResult.Healthy($"{results.Length} services ready", data)
            : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", failing), data: data);
    }

    private async Task<(string Cluster, string Status)> ProbeClusterAsync(
        HttpClient client, Yarp.ReverseProxy.Model.ClusterState cluster, CancellationToken cancellationToken)
    {
        var destinations = cluster.DestinationsState.AllDestinations;
        if (destinations.Count == 0)
        {
            return (cluster.ClusterId, "no destination resolved");
        }

        string status = "unreachable";
        foreach (var destination in destinations)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.ReadinessProbeTimeout);
            try
            {
                var uri = new Uri(new Uri(destination.Model.Config.Address), "/health/ready");
                using var response = await client.GetAsync(uri, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return (cluster.ClusterId, "Healthy");
                }

                status = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                status = ex is OperationCanceledException ? "timed out" : ex.Message;
            }
        }

        return (cluster.ClusterId, status);
    }
}
