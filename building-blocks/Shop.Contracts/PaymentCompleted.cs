namespace Shop.Contracts;

/// <summary>Payments debited the user's account for the order.</summary>
public sealed record PaymentCompleted(Guid OrderId, long UserId, long Amount) : IIntegrationEvent;
