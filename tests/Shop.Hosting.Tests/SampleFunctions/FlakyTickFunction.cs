namespace Shop.Hosting.Tests.SampleFunctions;

/// <summary>Fails its first run; the schedule must go on and run it again.</summary>
public sealed class FlakyTickFunction(TimerProbe probe)
{
    public const string FailureMessage = "first run fails";

    [Function("FlakyTick")]
    public async Task Run([TimerTrigger("*/1 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var run = probe.NextFlakyRun();
        if (run == 1)
        {
            throw new InvalidOperationException(FailureMessage);
        }

        probe.FlakyRecovered.TrySetResult(run);
    }
}
