namespace Shop.LoadTest.Reporting;

/// <summary>A sweep: one step per rate until one fails; the last passing step's completed rate is the capacity.</summary>
public sealed record SweepResult(
    IReadOnlyList<SweepStep> Steps,
    double CapacityOrdersPerSecond,
    string StopReason,
    LimitsResult? Limits,
    IReadOnlyList<Ratio> Ratios);

public sealed record SweepStep(
    double TargetRate, double AchievedSendRate, double CompletedPerSecond, double PostP50, double PostP99,
    double FinalP50, double FinalP90, double FinalP99, double FinalMax, string Witness, long Errors, bool AuditClean, bool Passed,
    IReadOnlyDictionary<string, double> PeakRssMb, double RefusedPerSecond = 0, double CpuMsPerOrder = 0)
{
    public static SweepStep From(RunResult run, TimeSpan p99Limit)
    {
        var final = run.SignalRUsed ? run.FinalViaSignalR : run.FinalViaRest;
        // A step that refused orders is past the knee even if what it accepted went fast.
        var passed = run.Errors == 0 && run.Refused == 0 && run.Audit.Clean && final.P99 <= p99Limit.TotalMilliseconds
                     && run.CompletedPerSecond >= 0.95 * run.TargetRate;
        return new SweepStep(run.TargetRate, run.AchievedSendRate, run.CompletedPerSecond, run.PostOrder.P50, run.PostOrder.P99,
            final.P50, final.P90, final.P99, final.Max, run.SignalRUsed ? "SignalR" : "REST", run.Errors, run.Audit.Clean, passed,
            run.Processes.ToDictionary(p => p.Name, p => Math.Round(p.PeakRssMb, 1)),
            run.DurationSeconds > 0 ? run.Refused / run.DurationSeconds : 0, run.CpuMsPerOrder.Values.Sum());
    }
}
