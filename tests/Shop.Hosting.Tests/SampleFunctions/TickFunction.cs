namespace Shop.Hosting.Tests.SampleFunctions;

public sealed class TickFunction(TimerProbe probe)
{
    [Function("Tick")]
    public Task Run([TimerTrigger("*/1 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        probe.TickRuns.Enqueue(new TimerInfoSnapshot(timer.ScheduleStatus?.Last ?? default, timer.ScheduleStatus?.Next ?? default, timer.IsPastDue));
        return Task.CompletedTask;
    }
}
