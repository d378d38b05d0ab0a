namespace Shop.Hosting;

/// <summary>A <c>[TimerTrigger]</c>: its schedule expression and whether it also runs when the host starts.</summary>
public sealed record TimerFunctionTrigger(string Schedule, bool RunOnStartup) : FunctionTrigger;
