namespace Shop.Api.Admission;

/// <summary>
/// Work finished per second over about the last <c>span</c>, from readings of a running total of finished work. Keeps
/// the newest reading at least <c>span</c> old and every one after it, so the rate covers one span or a little more.
/// </summary>
public sealed class ThroughputWindow(TimeSpan span)
{
    // A few readings a span (one per gauge sample).
    private readonly List<(DateTimeOffset At, long Total)> _readings = [];
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
        }
    }

    /// <summary>Forgets every reading (after a gap, such as the database away): the next rate starts afresh.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _readings.Clear();
        }
    }

    /// <summary>Finished per second between the oldest kept reading and the newest; null before two readings.</summary>
    public double? PerSecond
    {
        get
        {
            lock (_gate)
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
    }
}
