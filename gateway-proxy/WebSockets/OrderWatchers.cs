using System.Threading.Channels;
using Shop.Contracts;
using Shop.Gateway.LiveStatus;

namespace Shop.Gateway.WebSockets;

/// <summary>The open order sockets of this gateway, by order id; the status feed hands each change to the ones watching it.</summary>
public sealed class OrderWatchers : IOrderStatusListener
{
    private readonly Dictionary<Guid, List<Channel<OrderStatusChanged>>> _watchers = [];

    /// <summary>Starts collecting the changes of <paramref name="orderId"/>; dispose to stop.</summary>
    public Watch Start(Guid orderId)
    {
        // Bounded so a stalled socket cannot grow the gateway's memory: an order has at most two statuses anyway.
        var channel = Channel.CreateBounded<OrderStatusChanged>(new BoundedChannelOptions(16)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_watchers)
        {
            if (!_watchers.TryGetValue(orderId, out var list))
            {
                _watchers[orderId] = list = [];
            }
            list.Add(channel);
        }
        return new Watch(this, orderId, channel);
    }

    /// <summary>Orders watched right now, for the tests and diagnostics.</summary>
    public int Count
    {
        get
        {
            lock (_watchers)
            {
                return _watchers.Values.Sum(list => list.Count);
            }
        }
    }

    public void OnStatusChanged(OrderStatusChanged change)
    {
        lock (_watchers)
        {
            if (_watchers.TryGetValue(change.OrderId, out var list))
            {
                foreach (var channel in list)
                {
                    channel.Writer.TryWrite(change);
                }
            }
        }
    }

    private void Stop(Guid orderId, Channel<OrderStatusChanged> channel)
    {
        lock (_watchers)
        {
            if (_watchers.TryGetValue(orderId, out var list) && list.Remove(channel) && list.Count == 0)
            {
                _watchers.Remove(orderId);
            }
        }
        channel.Writer.TryComplete();
    }

    public sealed class Watch(OrderWatchers owner, Guid orderId, Channel<OrderStatusChanged> channel) : IDisposable
    {
        public ChannelReader<OrderStatusChanged> Changes => channel.Reader;

        public void Dispose() => owner.Stop(orderId, channel);
    }
}
