using System.ComponentModel.DataAnnotations;
using Shop.Contracts;

namespace Shop.Gateway.LiveStatus;

public sealed class OrderStatusFeedOptions
{
    public const string SectionName = "OrderStatusFeed";
    public const string ConnectionStringName = "RabbitMq";

    /// <summary>The cluster's nodes, read from the key every service shares (environment <c>RabbitMq__Endpoints</c>).</summary>
    public const string EndpointsKey = BrokerEndpoint.ConfigurationKey;

    /// <summary>The broker's AMQP URI, from <c>ConnectionStrings:RabbitMq</c>: credentials, virtual host and, without <see cref="Endpoints"/>, the node.</summary>
    [Required]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Comma-separated <c>host:port</c> of the cluster's nodes, from <c>RabbitMq:Endpoints</c>; each reconnect tries them all.</summary>
    public string? Endpoints { get; set; }

    /// <summary>Longest wait between two attempts to reach the broker.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events delivered to this gateway ahead of its acks.</summary>
    [Range(1, 10_000)]
    public ushort Prefetch { get; set; } = 100;
}
