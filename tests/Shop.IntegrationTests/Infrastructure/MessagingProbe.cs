using System.Collections.Concurrent;
using System.Diagnostics;
using Shop.Messaging;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// What the in-process consumers did with each message, by message id: one entry per delivery, recorded when its
/// processing span ends (after the ack or the dead letter), with the outcome and the failed attempts before it. Keyed
/// by message id, so another test's traffic on the same queue can never satisfy a wait.
/// </summary>
public sealed class MessagingProbe : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Delivery>> _deliveries = new();

    public MessagingProbe()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Every finished delivery of the message so far, in the order they finished.</summary>
    public IReadOnlyList<Delivery> Deliveries(Guid messageId) =>
        _deliveries.TryGetValue(messageId.ToString(), out var deliveries) ? [.. deliveries] : [];

    /// <summary>Waits until <paramref name="count"/> deliveries of the message have finished, and returns them.</summary>
    public Task<IReadOnlyList<Delivery>> WaitForDeliveriesAsync(Guid messageId, int count, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => Task.FromResult(Deliveries(messageId)), d => d.Count >= count,
            $"{count} finished deliveries of message {messageId}", timeout);

    /// <summary>Waits for the message's first finished delivery and returns it.</summary>
    public async Task<Delivery> WaitForDeliveryAsync(Guid messageId, TimeSpan? timeout = null) =>
        (await WaitForDeliveriesAsync(messageId, 1, timeout))[0];

    private void Record(Activity activity)
    {
        if (activity.Kind != ActivityKind.Consumer || activity.GetTagItem("messaging.message.id") is not string messageId)
        {
            return;
        }
        var delivery = new Delivery(
            activity.GetTagItem("messaging.consumer.group.name") as string ?? "",
            activity.GetTagItem(MessagingTelemetry.Outcome) as string,
            activity.Events.Count(e => e.Name == "exception"));
        _deliveries.GetOrAdd(messageId, _ => new ConcurrentQueue<Delivery>()).Enqueue(delivery);
    }

    public void Dispose() => _listener.Dispose();
}

/// <param name="Outcome">applied, duplicate or dead_lettered (<see cref="MessagingMetrics"/>); null if the delivery was abandoned unacked.</param>
/// <param name="FailedAttempts">Attempts that threw before the outcome (retried, or the last before a dead letter).</param>
public sealed record Delivery(string Queue, string? Outcome, int FailedAttempts);
