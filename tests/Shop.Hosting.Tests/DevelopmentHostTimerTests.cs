using Microsoft.Extensions.Logging;
using Shop.Hosting.Tests.SampleFunctions;

namespace Shop.Hosting.Tests;

public sealed class DevelopmentHostTimerTests
{
    // Generous bound for a once-a-second schedule on a loaded CI machine; the tests finish as soon as the signal comes.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Timer_function_runs_on_its_schedule()
    {
        await using var host = await RunningDevelopmentHost.StartAsync();

        var next = await host.Probe.TickRan.Task.WaitAsync(Bound);

        Assert.Equal(0, next.Millisecond);
        Assert.True(next > DateTime.UtcNow.AddSeconds(-5), $"Next occurrence {next:o} should be about now.");
    }

    [Fact]
    public async Task Failing_timer_run_is_logged_and_later_runs_continue()
    {
        await using var host = await RunningDevelopmentHost.StartAsync();

        var recoveredOnRun = await host.Probe.FlakyRecovered.Task.WaitAsync(Bound);

        Assert.Equal(2, recoveredOnRun);
        var failure = Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("FlakyTick"));
        Assert.Equal(FlakyTickFunction.FailureMessage, failure.Exception?.Message);
    }

    [Fact]
    public async Task Timer_with_run_on_startup_runs_when_the_host_starts()
    {
        await using var host = await RunningDevelopmentHost.StartAsync();

        await host.Probe.StartupRan.Task.WaitAsync(Bound);
    }
}
