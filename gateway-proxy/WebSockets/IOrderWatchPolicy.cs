namespace Shop.Gateway.WebSockets;

/// <summary>
/// Who may watch an order over the WebSocket. Browsers cannot set headers on a WebSocket, so a policy reads what the
/// handshake carries (query string, cookies, headers) and the order's owner. One policy per identity mode.
/// </summary>
public interface IOrderWatchPolicy
{
    ValueTask<WatchDecision> DecideAsync(HttpContext context, OrderSnapshot order, CancellationToken cancellationToken);
}

/// <summary>Allowed, or refused with a reason the client sees in the close frame.</summary>
public readonly record struct WatchDecision(bool Allowed, string Reason)
{
    public static WatchDecision Allow() => new(true, string.Empty);

    public static WatchDecision Refuse(string reason) => new(false, reason);
}
