using System.ComponentModel.DataAnnotations;

namespace Shop.Gateway.WebSockets;

/// <summary>The <c>OrderWebSocket</c> section: the original system's <c>/ws/orders/{id}</c> WebSocket.</summary>
public sealed class OrderWebSocketOptions
{
    public const string SectionName = "OrderWebSocket";

    /// <summary>
    /// A second port on which the gateway serves only the WebSocket route, as the original Orders service did on 8001,
    /// so the original page works unchanged. Off when unset; scripts/run.sh and docker-compose.yml set 8001.
    /// </summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>The YARP cluster of the Orders app, which the socket asks for the order's current state.</summary>
    [Required]
    public string OrdersCluster { get; set; } = "orders";

    /// <summary>How long the Orders app gets to answer that question.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>While an order is pending, how often the socket reads it again, in case the feed missed a change (broker away).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);
}
