namespace Shop.Messaging.RabbitMq;

/// <summary>Publishes one persistent, mandatory message and completes when the broker confirmed it.</summary>
public interface IMessagePublisher
{
    /// <summary>
    /// Opens the publishing channel if it is not open. Publishes started together while it opens resume in any order;
    /// started once it is open, they reach the broker in the order they were started.
    /// </summary>
    /// <exception cref="Exception">The broker cannot be reached.</exception>
    ValueTask ConnectAsync(CancellationToken cancellationToken);

    /// <exception cref="Exception">The broker refused, returned or never confirmed the message.</exception>
    Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken);
}
