namespace Shop.Messaging.RabbitMq;

/// <summary>
/// What <see cref="RabbitMqConsumerHost"/> hands each batch of deliveries to: the inbox, which applies them in one
/// transaction and acks them through <see cref="DeliveryAcks"/> after its commit (or dead-letters them).
/// </summary>
internal interface IDeliveryBatchHandler
{
    /// <summary>The durable queues to consume, one channel each.</summary>
    IEnumerable<string> Queues { get; }

    Task HandleAsync(string queue, IReadOnlyList<Delivery> batch, DeliveryAcks acks, CancellationToken cancellationToken);
}
