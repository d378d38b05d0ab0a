using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace Shop.Gateway.WebSockets;

/// <summary>Reads an order's current state and owner from the Orders app (its internal lookup), at a destination of its YARP cluster.</summary>
public sealed class OrderLookup(HttpClient http, IProxyStateLookup proxy, IOptions<OrderWebSocketOptions> options)
{
    /// <summary>The Orders app's route for it; the gateway refuses it from outside (see OrderWebSocketExtensions).</summary>
    public const string InternalPath = "internal/orders/";

    /// <summary>The order, or null when Orders has none with this id; throws when Orders cannot answer.</summary>
    public async Task<OrderSnapshot?> FindAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!proxy.TryGetCluster(settings.OrdersCluster, out var cluster))
        {
            throw new InvalidOperationException($"The gateway has no cluster '{settings.OrdersCluster}' (OrderWebSocket:OrdersCluster).");
        }
        var destination = cluster.DestinationsState?.AvailableDestinations.FirstOrDefault()
            ?? cluster.Destinations.Values.FirstOrDefault()
            ?? throw new InvalidOperationException($"Cluster '{settings.OrdersCluster}' has no destination.");
        var address = new Uri(new Uri(destination.Model.Config.Address.TrimEnd('/') + "/"), InternalPath + orderId.ToString("D"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.LookupTimeout);
        using var response = await http.GetAsync(address, timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<OrderSnapshot>(cancellationToken: timeout.Token)
            ?? throw new InvalidOperationException($"Orders answered an empty body for order {orderId}.");
    }
}
