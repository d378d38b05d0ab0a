namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// What the in-process consumers did. Per message id: one entry per delivery, recorded when its processing span ends
/// (after the ack or the dead letter), with the outcome and the failed attempts before it — another test's traffic on
/// the same queue can never satisfy such a wait. Per queue: the counters of <see cref="MessagingMetrics"/> (for figures
/// about batches, such as the deliveries buffered).
/// </summary>
public sealed class MessagingProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Queue, string Detail), long> _counts = new();
    private readonly ActivityListener _spans;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<MessageDelivery>> _deliveries = new();

    public MessagingProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MessagingMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string queue = "", detail = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "queue")
                {
                    queue = tag.Value?.ToString() ?? "";
                }
                else if (tag.Key is "outcome" or "transient")
                {
                    detail = tag.Value?.ToString() ?? "";
                }
            }
            _counts.AddOrUpdate((instrument.Name, queue, detail), value, (_, total) => total + value);
        });
        _listener.Start();
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_spans);
    }

    /// <summary>Every finished delivery of the message so far, in the order they finished.</summary>
    public IReadOnlyList<MessageDelivery> Deliveries(Guid messageId) =>
        _deliveries.TryGetValue(messageId.ToString(), out var deliveries) ? [.. deliveries] : [];

    /// <summary>Waits until <paramref name="count"/> deliveries of the message have finished, and returns them.</summary>
    public Task<IReadOnlyList<MessageDelivery>> WaitForDeliveriesAsync(Guid messageId, int count, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => Task.FromResult(Deliveries(messageId)), d => d.Count >= count,
            $"{count} finished deliveries of message {messageId}", timeout);

    /// <summary>Waits for the message's first finished delivery and returns it.</summary>
    public async Task<MessageDelivery> WaitForDeliveryAsync(Guid messageId, TimeSpan? timeout = null) =>
        (await WaitForDeliveriesAsync(messageId, 1, timeout))[0];

    private void Record(Activity activity)
    {
        if (activity.Kind != ActivityKind.Consumer || activity.GetTagItem("messaging.message.id") is not string messageId)
        {
            return;
        }
        var delivery = new MessageDelivery(
            activity.GetTagItem("messaging.consumer.group.name") as string ?? "",
            activity.GetTagItem(MessagingTelemetry.Outcome) as string,
            activity.Events.Count(e => e.Name == "exception"),
            activity);
        _deliveries.GetOrAdd(messageId, _ => new ConcurrentQueue<MessageDelivery>()).Enqueue(delivery);
    }

    /// <summary>Deliveries received by the consumers of <paramref name="queue"/> and not yet taken into a batch.</summary>
    public long Buffered(string queue) => _counts.GetValueOrDefault(("shop.messaging.consumer.buffered", queue, ""));

    /// <summary>Waits until exactly <paramref name="count"/> deliveries of <paramref name="queue"/> wait in its consumers' buffers.</summary>
    public Task WaitForBufferedAsync(string queue, long count) =>
        Eventually.UntilAsync(() => Task.FromResult(Buffered(queue)), n => n == count, $"{count} deliveries buffered in the consumer of {queue}");

    public long Consumed(string queue, string outcome) => _counts.GetValueOrDefault(("shop.messaging.consumed", queue, outcome));

    public long Retries(string queue) =>
        _counts.Where(c => c.Key.Instrument == "shop.messaging.retries" && c.Key.Queue == queue).Sum(c => c.Value);

    public Task WaitForConsumedAsync(string queue, string outcome, long atLeast, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => Task.FromResult(Consumed(queue, outcome)), n => n >= atLeast,
            $"{atLeast} '{outcome}' deliveries on {queue}", timeout);

    public void Dispose()
    {
        _spans.Dispose();
        _listener.Dispose();
    }
}

/// <param name="Outcome">applied, duplicate or dead_lettered (<see cref="MessagingMetrics"/>); null if the delivery was abandoned unacked.</param>
/// <param name="FailedAttempts">Attempts that threw before the outcome (retried, or the last before a dead letter).</param>
/// <param name="Span">The delivery's ended process span, with every tag and event the consumer gave it.</param>
public sealed record MessageDelivery(string Queue, string? Outcome, int FailedAttempts, Activity Span);
