namespace Shop.Api.Admission;

/// <summary>
/// Work finished per second, from readings of a running total of finished work: over about the last <c>span</c>
/// (<see cref="PerSecond"/>), and the highest such rate over the last <c>peakHorizon</c> (<see cref="Peak"/>), the rate
/// the app has shown it can reach.
/// </summary>
public sealed class ThroughputWindow(TimeSpan span, TimeSpan peakHorizon)
{
    // A few readings a span (one per gauge sample): the newest one at least a span old, and every one after it.
    private readonly List<(DateTimeOffset At, long Total)> _readings = [];
    // Rates in the horizon that no later rate exceeds, in falling order: the first is the peak.
    private readonly LinkedList<(DateTimeOffset At, double Rate)> _peaks = new();
    private readonly Lock _gate = new();

    /// <summary>Adds a reading of the running total, taken at <paramref name="at"/>.</summary>
    public void Record(DateTimeOffset at, long total)
    {
        lock (_gate)
        {
            _readings.Add((at, total));
            while (_readings.Count > 2 && at - _readings[1].At >= span)
            {
                _readings.RemoveAt(0);
            }
            if (Rate() is not { } rate)
            {
                return;
            }
            while (_peaks.Last is { } last && last.Value.Rate <= rate)
            {
                _peaks.RemoveLast();
            }
            _peaks.AddLast((at, rate));
            while (_peaks.First is { } first && at - first.Value.At > peakHorizon)
            {
                _peaks.RemoveFirst();
            }
        }
    }

    /// <summary>Forgets every reading (after a gap, such as the database away): the next rate starts afresh.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _readings.Clear();
            _peaks.Clear();
        }
    }

    /// <summary>Finished per second between the oldest kept reading and the newest; null before two readings.</summary>
    public double? PerSecond
    {
        get
        {
            lock (_gate)
            {
                return Rate();
            }
        }
    }

    /// <summary>The highest <see cref="PerSecond"/> of the readings within the horizon of the newest; null before two readings.</summary>
    public double? Peak
    {
        get
        {
            lock (_gate)
            {
                return _peaks.First?.Value.Rate;
            }
        }
    }

    private double? Rate()
    {
        if (_readings.Count < 2)
        {
            return null;
        }
        var (firstAt, firstTotal) = _readings[0];
        var (lastAt, lastTotal) = _readings[^1];
        var seconds = (lastAt - firstAt).TotalSeconds;
        // A total that fell (work counted as finished came back) is no work done, not negative work.
        return seconds > 0 ? Math.Max(0, lastTotal - firstTotal) / seconds : null;
    }
}
