using Shop.Messaging;

namespace Shop.Contracts;

/// <summary>Orders asks Payments to charge <see cref="Amount"/> minor units for the order.</summary>
public sealed record OrderCreated(Guid OrderId, long UserId, long Amount) : IIntegrationEvent
{
    Guid IIntegrationEvent.CorrelationId => OrderId;
}
