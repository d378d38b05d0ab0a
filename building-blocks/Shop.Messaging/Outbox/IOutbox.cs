using Shop.Contracts;

namespace Shop.Messaging.Outbox;

/// <summary>Adds an event to the current unit of work; it commits, or not, with the state change beside it.</summary>
public interface IOutbox
{
    void Enqueue<TEvent>(TEvent integrationEvent) where TEvent : class, IIntegrationEvent;
}
