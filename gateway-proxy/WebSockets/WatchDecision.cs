using System.Net.WebSockets;

namespace Shop.Gateway.WebSockets;

/// <summary>Allowed, or refused with the close code and the reason the client sees in the close frame.</summary>
public readonly record struct WatchDecision(bool Allowed, WebSocketCloseStatus CloseStatus, string Reason)
{
    public static WatchDecision Allow() => new(true, WebSocketCloseStatus.Empty, string.Empty);

    /// <summary>4403: this client may not watch this order (another user's, or a user id that is no user).</summary>
    public static WatchDecision Refuse(string reason) => new(false, OrderWebSocketEndpoint.WatchRefused, reason);

    /// <summary>4401: the client has not proved who it is (no token, or one the gateway does not accept).</summary>
    public static WatchDecision Unauthenticated(string reason) => new(false, OrderWebSocketEndpoint.NotAuthenticated, reason);
}
