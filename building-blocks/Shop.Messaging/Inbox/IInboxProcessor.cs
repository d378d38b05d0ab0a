namespace Shop.Messaging.Inbox;

internal interface IInboxProcessor
{
    /// <returns><c>false</c> when the message was applied before (a duplicate), <c>true</c> when applied now.</returns>
    Task<bool> ProcessAsync(ConsumerRegistration registration, object message, MessageContext context, CancellationToken cancellationToken);
}
