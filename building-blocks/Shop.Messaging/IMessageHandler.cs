namespace Shop.Messaging;

/// <summary>
/// Applies one integration event. It runs inside the consumer's transaction, after the inbox record was
/// written; it changes state through the scoped DbContext and emits events through <c>IOutbox</c>, and
/// must not commit: the consumer saves and commits, then acks.
/// </summary>
public interface IMessageHandler<in TEvent> where TEvent : class, IIntegrationEvent
{
    Task HandleAsync(TEvent message, MessageContext context, CancellationToken cancellationToken);
}
