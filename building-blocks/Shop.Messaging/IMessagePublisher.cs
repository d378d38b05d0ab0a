namespace Shop.Messaging;

/// <summary>Publishes one persistent, mandatory message and completes when the broker confirmed it.</summary>
public interface IMessagePublisher
{
    /// <exception cref="Exception">The broker refused, returned or never confirmed the message.</exception>
    Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken);
}
