using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Shop.Gateway.Configuration;
using Yarp.ReverseProxy;

namespace Shop.Gateway.Health;

/// <summary>Ready when every destination of one cluster answers its own GET /health in time.</summary>
internal sealed class ClusterHealthCheck(
    string clusterId,
    IProxyStateLookup proxyState,
    IHttpClientFactory httpClientFactory,
    IOptions<GatewayOptions> options) : IHealthCheck
{
    public const string HttpClientName = "readiness";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!proxyState.TryGetCluster(clusterId, out var cluster) || cluster.Destinations.IsEmpty)
        {
            return HealthCheckResult.Unhealthy($"The {clusterId} service has no destination configured.");
        }

        var timeout = options.Value.ReadinessTimeout;
        var client = httpClientFactory.CreateClient(HttpClientName);
        foreach (var destination in cluster.Destinations.Values)
        {
            var healthUri = new Uri(new Uri(destination.Model.Config.Address), "health");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                using var response = await client.GetAsync(healthUri, deadline.Token);
                if (!response.IsSuccessStatusCode)
                {
                    return HealthCheckResult.Unhealthy($"The {clusterId} service answered {(int)response.StatusCode} at {healthUri}.");
                }
            }
            catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"The {clusterId} service did not answer within {timeout.TotalSeconds:0.###} s at {healthUri}.", exception);
            }
            catch (HttpRequestException exception)
            {
                return HealthCheckResult.Unhealthy($"The {clusterId} service is unreachable at {healthUri}.", exception);
            }
        }

        return HealthCheckResult.Healthy($"The {clusterId} service is ready.");
    }
}
