using Shop.Messaging;

namespace Shop.Contracts;

/// <summary>An order reached a new status (PAID or FAILED); the gateway pushes it to the order's user.</summary>
public sealed record OrderStatusChanged(Guid OrderId, long UserId, string Status, string? Reason, DateTimeOffset ChangedAt) : IIntegrationEvent
{
    Guid IIntegrationEvent.CorrelationId => OrderId;
}
