namespace Shop.Contracts;

/// <summary>Payments refused the order; <see cref="Reason"/> is one of <see cref="PaymentFailureReasons"/>.</summary>
public sealed record PaymentFailed(Guid OrderId, long UserId, long Amount, string Reason) : IIntegrationEvent;
