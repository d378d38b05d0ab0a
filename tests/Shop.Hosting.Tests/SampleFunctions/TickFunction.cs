using Microsoft.Azure.Functions.Worker;

namespace Shop.Hosting.Tests.SampleFunctions;

public sealed class TickFunction(TimerProbe probe)
{
    [Function("Tick")]
    public Task Run([TimerTrigger("*/1 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        probe.TickRan.TrySetResult(timer.ScheduleStatus?.Next ?? default);
        return Task.CompletedTask;
    }
}
