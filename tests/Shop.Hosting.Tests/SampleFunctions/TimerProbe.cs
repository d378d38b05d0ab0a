namespace Shop.Hosting.Tests.SampleFunctions;

/// <summary>Singleton the sample timer functions report to, so tests wait for a signal instead of sleeping.</summary>
public sealed class TimerProbe
{
    private int _flakyRuns;

    /// <summary>What each run of Tick was told, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<TimerInfoSnapshot> TickRuns { get; } = new();

    public TaskCompletionSource StartupRan { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<int> FlakyRecovered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int NextFlakyRun() => Interlocked.Increment(ref _flakyRuns);
}

/// <summary>A timer run's <c>TimerInfo</c> as the function saw it.</summary>
public sealed record TimerInfoSnapshot(DateTime Last, DateTime Next, bool IsPastDue);
