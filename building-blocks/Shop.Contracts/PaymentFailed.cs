using Shop.Messaging;

namespace Shop.Contracts;

/// <summary>
/// Payments refused the order at <see cref="DecidedAt"/> (Payments' clock; null in messages written before that field
/// existed); <see cref="Reason"/> is one of <see cref="PaymentFailureReasons"/>.
/// </summary>
public sealed record PaymentFailed(Guid OrderId, long UserId, long Amount, string Reason, DateTimeOffset? DecidedAt = null) : IIntegrationEvent
{
    Guid IIntegrationEvent.CorrelationId => OrderId;
}
