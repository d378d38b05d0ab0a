namespace Shop.Gateway.WebSockets;

/// <summary>
/// Who may watch an order over the WebSocket. Browsers cannot set headers on a WebSocket, so a policy reads what the
/// handshake carries (query string, cookies, headers) and the order's owner. One policy per identity mode
/// (<see cref="HeaderWatchPolicy"/>, <see cref="TokenWatchPolicy"/>).
/// </summary>
public interface IOrderWatchPolicy
{
    /// <summary>
    /// Before the order is read: refuses a client that may watch no order at all (in Jwt mode, one without an accepted
    /// token), so it learns nothing about the order id it sent.
    /// </summary>
    ValueTask<WatchDecision> AdmitAsync(HttpContext context, CancellationToken cancellationToken);

    /// <summary>Whether this client may watch this order.</summary>
    ValueTask<WatchDecision> DecideAsync(HttpContext context, OrderSnapshot order, CancellationToken cancellationToken);
}
