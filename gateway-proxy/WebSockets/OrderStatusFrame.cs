namespace Shop.Gateway.WebSockets;

/// <summary>One text frame of the socket: the original's <c>{"status": "…"}</c> with the order's other useful fields.</summary>
public sealed record OrderStatusFrame(string Status, Guid OrderId, long Amount, string? Reason, DateTimeOffset UpdatedAt)
{
    public static OrderStatusFrame From(OrderSnapshot order) => new(order.Status, order.Id, order.Amount, order.Reason, order.UpdatedAt);
}
