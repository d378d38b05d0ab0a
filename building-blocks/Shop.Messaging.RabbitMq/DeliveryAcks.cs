namespace Shop.Messaging.RabbitMq;

/// <summary>
/// The acks of one channel's deliveries, handled in batches that may finish out of order. A finished batch's tags below
/// every delivery still in progress go out as one multiple-ack of the highest of them; the others one by one. A tag is
/// acked once only: the broker closes the channel on an unknown tag.
/// </summary>
internal sealed class DeliveryAcks(Func<ulong, bool, ValueTask> ack)
{
    private readonly SortedSet<ulong> _inProgress = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>A delivery arrived: it is in progress until <see cref="AckAsync"/> is called for it.</summary>
    public void Received(ulong deliveryTag)
    {
        lock (_inProgress)
        {
            _inProgress.Add(deliveryTag);
        }
    }

    /// <summary>Acks finished deliveries (their effects committed, or dead-lettered).</summary>
    public async Task AckAsync(IReadOnlyCollection<ulong> deliveryTags)
    {
        if (deliveryTags.Count == 0)
        {
            return;
        }
        // Frames go out in the order the bookkeeping decided them.
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            ulong lowest;
            lock (_inProgress)
            {
                foreach (var tag in deliveryTags)
                {
                    _inProgress.Remove(tag);
                }
                lowest = _inProgress.Count == 0 ? ulong.MaxValue : _inProgress.Min;
            }
            // Every delivery below `lowest` is finished and, but for these, acked already: one frame acks them all.
            ulong highestBelow = 0;
            foreach (var tag in deliveryTags)
            {
                if (tag < lowest && tag > highestBelow)
                {
                    highestBelow = tag;
                }
            }
            if (highestBelow > 0)
            {
                await ack(highestBelow, deliveryTags.Count(tag => tag < lowest) > 1);
            }
            foreach (var tag in deliveryTags)
            {
                if (tag > lowest)
                {
                    await ack(tag, false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
