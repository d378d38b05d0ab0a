using System.Threading.Channels;

namespace Shop.Messaging.Outbox;

internal sealed class OutboxSignal : IOutboxSignal
{
    // One pending wake-up is enough: the relay drains everything committed before it runs.
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Notify() => _pending.Writer.TryWrite(true);

    public async ValueTask WaitAsync(CancellationToken cancellationToken) =>
        await _pending.Reader.ReadAsync(cancellationToken);
}
