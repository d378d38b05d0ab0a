namespace Shop.Messaging.RabbitMq;

/// <summary>
/// Deliveries this instance's consumers have received and not yet taken into a batch: when it grows, the consumers
/// cannot keep up (the broker holds more behind them, up to the prefetch). Admission control can weigh it.
/// </summary>
public sealed class ConsumerBacklog
{
    private long _buffered;

    public long Buffered => Interlocked.Read(ref _buffered);

    internal void Add(long delta) => Interlocked.Add(ref _buffered, delta);
}
