using System.Diagnostics.Metrics;

namespace Shop.UnitTests.Messaging;

/// <summary>
/// The spans and counters of Shop.Messaging that name one service, read through an <see cref="ActivityListener"/> and a
/// <see cref="MeterListener"/>. Both listen to the whole process, so a test gives its worker a service name of its own
/// and other tests running at the same time add nothing to what it reads.
/// </summary>
internal sealed class ServiceTelemetry : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _service;
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _spans;
    private readonly ConcurrentQueue<(string Instrument, long Value)> _measurements = new();
    private readonly ConcurrentQueue<Activity> _ended = new();

    public ServiceTelemetry(string service)
    {
        _service = service;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MessagingMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "service" && Equals(tag.Value, _service))
                {
                    _measurements.Enqueue((instrument.Name, value));
                }
            }
        });
        _meters.Start();
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem(MessagingTelemetry.Service), _service))
                {
                    _ended.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_spans);
    }

    /// <summary>The service's spans ended so far.</summary>
    public IReadOnlyList<Activity> Spans => [.. _ended];

    /// <summary>The sum of every measurement of <paramref name="instrument"/> tagged with the service.</summary>
    public long Sum(string instrument) => _measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);

    /// <summary>How many measurements of <paramref name="instrument"/> were tagged with the service.</summary>
    public int Count(string instrument) => _measurements.Count(m => m.Instrument == instrument);

    /// <summary>Waits until <paramref name="count"/> of the service's spans have ended, and returns them.</summary>
    public async Task<IReadOnlyList<Activity>> SpansAsync(int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (_ended.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
        Assert.True(_ended.Count >= count, $"expected {count} spans of {_service}, got {_ended.Count}");
        return Spans;
    }

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
    }
}
