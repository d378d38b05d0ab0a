using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging.Outbox;

/// <summary>
/// The queue between a commit and <see cref="OutboxDispatchWorker"/>. A row it cannot take (no worker running, dispatch
/// switched off, queue full) stays in the table and the relay is woken for it, so no row depends on this queue alone.
/// </summary>
internal sealed class OutboxDispatchQueue(IOutboxSignal relaySignal, IOptions<MessagingOptions> options) : IOutboxDispatcher
{
    /// <summary>Rows waiting to be published; beyond this the relay takes the overflow from the table.</summary>
    internal const int Capacity = 10_000;

    private readonly Channel<OutboxMessage> _queue = Channel.CreateBounded<OutboxMessage>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private volatile bool _attached;

    internal ChannelReader<OutboxMessage> Reader => _queue.Reader;

    /// <summary>Called by the worker when it starts reading; until then commits only wake the relay.</summary>
    internal void Attach() => _attached = true;

    internal void Detach() => _attached = false;

    public void Committed(IReadOnlyList<OutboxMessage> messages)
    {
        if (!_attached || !options.Value.DispatchOnCommit)
        {
            relaySignal.Notify();
            return;
        }
        foreach (var message in messages)
        {
            if (!_queue.Writer.TryWrite(message))
            {
                relaySignal.Notify();
                return;
            }
        }
    }
}
