namespace Shop.Gateway.WebSockets;

/// <summary>An order as the Orders app's internal lookup serves it; the owner decides who may watch.</summary>
public sealed record OrderSnapshot(Guid Id, long UserId, long Amount, string Status, string? Reason, DateTimeOffset UpdatedAt)
{
    public bool IsFinal => Status is "PAID" or "FAILED";
}
