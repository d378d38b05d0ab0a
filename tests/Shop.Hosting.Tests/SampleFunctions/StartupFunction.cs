namespace Shop.Hosting.Tests.SampleFunctions;

/// <summary>Due once a year, so a run during a test can only come from RunOnStartup.</summary>
public sealed class StartupFunction(TimerProbe probe)
{
    [Function("Startup")]
    public void Run([TimerTrigger("0 0 0 1 1 *", RunOnStartup = true)] TimerInfo timer) => probe.StartupRan.TrySetResult();
}
