namespace Shop.Messaging.Outbox;

/// <summary>Adds an event to the current unit of work; it commits, or not, with the state change beside it.</summary>
public interface IOutbox
{
    /// <param name="causedBy">
    /// The message being handled when this event is its consequence: the event continues that message's trace. Null for
    /// an event caused by the current request (it continues <see cref="System.Diagnostics.Activity.Current"/>).
    /// </param>
    void Enqueue<TEvent>(TEvent integrationEvent, MessageContext? causedBy = null) where TEvent : class, IIntegrationEvent;
}
