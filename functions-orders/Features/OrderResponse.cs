using Shop.Orders.Domain;

namespace Shop.Orders.Features;

/// <summary>An order on the wire: the contract's <c>{"id", "amount", "status"}</c> (README) and more; <c>paymentAt</c> is null while pending.</summary>
public sealed record OrderResponse(
    Guid Id, long UserId, long Amount, string Status, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PaymentAt)
{
    public static OrderResponse From(Order order) =>
        new(order.Id, order.UserId, order.Amount, order.Status, order.Reason, order.CreatedAt, order.UpdatedAt, order.PaymentAt);
}
