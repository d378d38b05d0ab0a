namespace Shop.Hosting.Tests.SampleFunctions;

/// <summary>Singleton the sample timer functions report to, so tests wait for a signal instead of sleeping.</summary>
public sealed class TimerProbe
{
    private int _flakyRuns;

    public TaskCompletionSource<DateTime> TickRan { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource StartupRan { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<int> FlakyRecovered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int NextFlakyRun() => Interlocked.Increment(ref _flakyRuns);
}
