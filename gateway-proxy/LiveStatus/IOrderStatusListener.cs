using Shop.Contracts;

namespace Shop.Gateway.LiveStatus;

/// <summary>Hears every status change the gateway's feed consumes, besides the SignalR hub (e.g. the order WebSockets).</summary>
public interface IOrderStatusListener
{
    /// <summary>Called on the feed's consumer: must not block.</summary>
    void OnStatusChanged(OrderStatusChanged change);
}
