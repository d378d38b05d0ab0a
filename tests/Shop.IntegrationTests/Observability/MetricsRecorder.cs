namespace Shop.IntegrationTests.Observability;

/// <summary>Every measurement of the shop's meters in this process, with its tags, read through a MeterListener.</summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MetricsRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is MessagingMetrics.MeterName or OrdersMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Measurements of <paramref name="instrument"/> whose tags include every one given as <c>key=value</c>.</summary>
    public IReadOnlyList<double> Values(string instrument, params string[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.Contains(t))).Select(m => m.Value).ToList();

    public double Sum(string instrument, params string[] tags) => Values(instrument, tags).Sum();

    /// <summary>Asks every observable gauge for its value now and returns the one tagged <paramref name="tags"/>.</summary>
    public double? Observe(string instrument, params string[] tags)
    {
        var before = _measurements.Count;
        _listener.RecordObservableInstruments();
        return _measurements.Skip(before).LastOrDefault(m => m.Instrument == instrument && tags.All(t => m.Tags.Contains(t)))?.Value;
    }

    public void Dispose() => _listener.Dispose();

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var text = new HashSet<string>();
        foreach (var tag in tags)
        {
            text.Add($"{tag.Key}={tag.Value}");
        }
        _measurements.Enqueue(new Measurement(instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), text));
    }

    private sealed record Measurement(string Instrument, double Value, HashSet<string> Tags);
}
