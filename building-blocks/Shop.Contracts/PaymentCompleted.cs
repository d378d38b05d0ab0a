using Shop.Messaging;

namespace Shop.Contracts;

/// <summary>
/// Payments debited the user's account for the order at <see cref="DecidedAt"/> (Payments' clock); null in messages
/// written before that field existed.
/// </summary>
public sealed record PaymentCompleted(Guid OrderId, long UserId, long Amount, DateTimeOffset? DecidedAt = null) : IIntegrationEvent
{
    Guid IIntegrationEvent.CorrelationId => OrderId;
}
