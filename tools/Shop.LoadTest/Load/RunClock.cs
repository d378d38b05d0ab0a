namespace Shop.LoadTest.Load;

/// <summary>Monotonic milliseconds since the measured part of a run began.</summary>
public sealed class RunClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public double NowMs => Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
}
