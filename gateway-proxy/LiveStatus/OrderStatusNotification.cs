namespace Shop.Gateway.LiveStatus;

/// <summary>The <c>orderStatusChanged</c> payload: camelCase JSON as <c>{orderId, userId, status, reason, changedAt}</c>.</summary>
public sealed record OrderStatusNotification(Guid OrderId, long UserId, string Status, string? Reason, DateTimeOffset ChangedAt);
