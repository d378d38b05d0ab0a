using Microsoft.Extensions.Time.Testing;

namespace Shop.UnitTests.Messaging;

/// <summary>
/// A fake clock (time moves only with <see cref="Advance"/>) that keeps the due time of every timer made on it — a
/// <c>Task.Delay</c> on it makes one — and lets a test wait until the code under test has made its nth.
/// </summary>
internal sealed class TimerRecordingClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _inner = new(start);
    private readonly List<TimeSpan> _timers = [];
    private readonly List<(int Count, TaskCompletionSource<TimeSpan> Made)> _waiters = [];

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public void Advance(TimeSpan delta) => _inner.Advance(delta);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _inner.CreateTimer(callback, state, dueTime, period);
        lock (_waiters)
        {
            _timers.Add(dueTime);
            foreach (var waiter in _waiters.Where(w => w.Count == _timers.Count))
            {
                waiter.Made.TrySetResult(dueTime);
            }
        }
        return timer;
    }

    /// <summary>The due time of the <paramref name="count"/>th timer made on this clock, once it is made.</summary>
    public Task<TimeSpan> TimerAsync(int count)
    {
        lock (_waiters)
        {
            if (_timers.Count >= count)
            {
                return Task.FromResult(_timers[count - 1]);
            }
            var made = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, made));
            return made.Task;
        }
    }
}
