namespace Shop.Hosting.Tests;

/// <summary>The development host's timers on a clock the test moves: every occurrence runs once, on time, and is told the truth.</summary>
public sealed class DevelopmentHostTimerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, 250, TimeSpan.Zero);
    private static readonly DateTime Noon = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_cron_timer_runs_once_per_occurrence_and_is_told_its_last_and_next()
    {
        var clock = new ControlledClock(Start);
        await using var host = await StartTickingAsync(clock, "*/1 * * * * *");

        // Not due yet: 750 ms to the next whole second.
        clock.Advance(TimeSpan.FromMilliseconds(749));
        Assert.Empty(host.Probe.TickRuns);

        var runs = await TwoRunsAsync(host, clock, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));

        Assert.Equal([new TimerInfoSnapshot(default, Noon.AddSeconds(2), false), new TimerInfoSnapshot(Noon.AddSeconds(1), Noon.AddSeconds(3), false)], runs);
    }

    [Fact]
    public async Task An_interval_timer_runs_every_interval_and_not_between()
    {
        var clock = new ControlledClock(Start);
        await using var host = await StartTickingAsync(clock, "00:00:10");

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(host.Probe.TickRuns);
        var runs = await TwoRunsAsync(host, clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        var first = Start.UtcDateTime.AddSeconds(10);
        Assert.Equal([new TimerInfoSnapshot(default, first.AddSeconds(10), false), new TimerInfoSnapshot(first, first.AddSeconds(20), false)], runs);
    }

    [Fact]
    public async Task Occurrences_missed_while_the_clock_jumped_run_once_past_due_then_the_schedule_goes_on()
    {
        var clock = new ControlledClock(Start);
        await using var host = await StartTickingAsync(clock, "*/1 * * * * *");

        // The process "slept" five seconds: the occurrences of 12:00:01 to 12:00:05 are due at once.
        var runs = await TwoRunsAsync(host, clock, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

        Assert.Equal([new TimerInfoSnapshot(default, Noon.AddSeconds(2), true), new TimerInfoSnapshot(Noon.AddSeconds(1), Noon.AddSeconds(7), false)], runs);
    }

    [Fact]
    public async Task Failing_timer_run_is_logged_and_later_runs_continue()
    {
        var clock = new ControlledClock(Start);
        await using var host = await RunningDevelopmentHost.StartAsync(clock, [Function("FlakyTick")]);
        await WaitForWaitsAsync(clock, 1);

        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForWaitsAsync(clock, 2);
        Assert.False(host.Probe.FlakyRecovered.Task.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var recoveredOnRun = await host.Probe.FlakyRecovered.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(2, recoveredOnRun);
        var failure = Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("FlakyTick"));
        Assert.Equal(FlakyTickFunction.FailureMessage, failure.Exception?.Message);
    }

    [Fact]
    public async Task Timer_with_run_on_startup_runs_when_the_host_starts_without_the_clock_moving()
    {
        var clock = new ControlledClock(Start);
        await using var host = await RunningDevelopmentHost.StartAsync(clock, [Function("Startup")]);

        await host.Probe.StartupRan.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>A development host running the Tick sample function on <paramref name="schedule"/>, its timer waiting on <paramref name="clock"/>.</summary>
    private static async Task<RunningDevelopmentHost> StartTickingAsync(ControlledClock clock, string schedule)
    {
        var host = await RunningDevelopmentHost.StartAsync(clock, [Tick(schedule)]);
        try
        {
            await WaitForWaitsAsync(clock, 1);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static FunctionDescriptor Function(string name) => DevelopmentHost.Discover(typeof(TickFunction).Assembly).Single(f => f.Name == name);

    /// <summary>The Tick sample function on another schedule.</summary>
    private static FunctionDescriptor Tick(string schedule) => Function("Tick") with { Trigger = new TimerFunctionTrigger(schedule, RunOnStartup: false) };

    private static Task WaitForWaitsAsync(ControlledClock clock, int waits) =>
        Eventually.UntilAsync(() => Task.FromResult(clock.Waits), n => n >= waits, $"the timer to start wait {waits}");

    /// <summary>Moves the clock on by <paramref name="toFirst"/> to the first run, then by <paramref name="toSecond"/> to the second; returns what the two runs were told.</summary>
    private static async Task<TimerInfoSnapshot[]> TwoRunsAsync(RunningDevelopmentHost host, ControlledClock clock, TimeSpan toFirst, TimeSpan toSecond)
    {
        clock.Advance(toFirst);
        await WaitForRunsAsync(host, clock, 1);
        clock.Advance(toSecond);
        await WaitForRunsAsync(host, clock, 2);
        return [.. host.Probe.TickRuns];
    }

    /// <summary>
    /// Waits for the run and for the timer's next wait (one at start, one after each run), so nothing of that run is
    /// still going on; by then a second run of the same occurrence would have happened.
    /// </summary>
    private static async Task WaitForRunsAsync(RunningDevelopmentHost host, ControlledClock clock, int runs)
    {
        await Eventually.UntilAsync(() => Task.FromResult(host.Probe.TickRuns.Count), n => n >= runs, $"run {runs} of the timer");
        await WaitForWaitsAsync(clock, runs + 1);
        Assert.Equal(runs, host.Probe.TickRuns.Count);
    }
}
