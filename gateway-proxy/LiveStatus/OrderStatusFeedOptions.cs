using System.ComponentModel.DataAnnotations;

namespace Shop.Gateway.LiveStatus;

/// <summary>
/// How the feed consumes; where the broker is comes from <c>ConnectionStrings:RabbitMq</c> and <c>RabbitMq:Endpoints</c>,
/// read by the transport (<c>RabbitMqOptions</c>) as in every service.
/// </summary>
public sealed class OrderStatusFeedOptions
{
    public const string SectionName = "OrderStatusFeed";
    public const string ConnectionStringName = "RabbitMq";

    /// <summary>Longest wait between two attempts to reach the broker.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events delivered to this gateway ahead of its acks.</summary>
    [Range(1, 10_000)]
    public ushort Prefetch { get; set; } = 100;
}
