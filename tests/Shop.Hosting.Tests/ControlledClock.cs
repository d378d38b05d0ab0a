using Microsoft.Extensions.Time.Testing;

namespace Shop.Hosting.Tests;

/// <summary>
/// A clock only the test moves, which also counts the waits started on it: a timer service that started its next
/// wait has finished its run, so the test moves time on only then, and never races the service.
/// </summary>
public sealed class ControlledClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _time = new(start);
    private int _waits;

    public int Waits => Volatile.Read(ref _waits);

    public override DateTimeOffset GetUtcNow() => _time.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => _time.TimestampFrequency;

    public override long GetTimestamp() => _time.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _waits);
        return _time.CreateTimer(callback, state, dueTime, period);
    }

    public void Advance(TimeSpan by) => _time.Advance(by);
}
