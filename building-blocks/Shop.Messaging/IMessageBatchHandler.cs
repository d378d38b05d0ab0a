namespace Shop.Messaging;

/// <summary>
/// Applies several integration events of one type at once: the consumer hands over the new (not yet applied) messages
/// of a batch of deliveries, in delivery order, inside one transaction after their inbox records were written. Like
/// <see cref="IMessageHandler{TEvent}"/> it changes state through the scoped DbContext, emits events through
/// <c>IOutbox</c> (passing each message's context as the cause) and must not commit. A
/// <see cref="PoisonMessageException"/> or any other lasting failure rolls the whole batch back; the consumer then
/// applies the messages one by one, so only the bad one is dead-lettered.
/// </summary>
public interface IMessageBatchHandler<TEvent> where TEvent : class, IIntegrationEvent
{
    Task HandleAsync(IReadOnlyList<IncomingMessage<TEvent>> messages, CancellationToken cancellationToken);
}
