using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Shop.Messaging;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Counts what the in-process consumers report through <see cref="MessagingMetrics"/>, so a test can wait for a delivery to be handled.</summary>
public sealed class MessagingProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Queue, string Detail), long> _counts = new();

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
    }

    /// <summary>Deliveries received by the consumers of <paramref name="queue"/> and not yet taken into a batch.</summary>
    public long Buffered(string queue) => _counts.GetValueOrDefault(("shop.messaging.consumer.buffered", queue, ""));

    public long Consumed(string queue, string outcome) => _counts.GetValueOrDefault(("shop.messaging.consumed", queue, outcome));

    public long Retries(string queue) =>
        _counts.Where(c => c.Key.Instrument == "shop.messaging.retries" && c.Key.Queue == queue).Sum(c => c.Value);

    public Task WaitForConsumedAsync(string queue, string outcome, long atLeast, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => Task.FromResult(Consumed(queue, outcome)), n => n >= atLeast,
            $"{atLeast} '{outcome}' deliveries on {queue}", timeout);

    public void Dispose() => _listener.Dispose();
}
