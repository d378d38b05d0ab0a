namespace Shop.LoadTest.Reporting;

/// <summary>The result as plain lines for the terminal (and a test's output).</summary>
public static class ConsoleSummary
{
    public static IEnumerable<string> Of(RunResult run)
    {
        yield return I($"== {run.Label}: sent {run.Sent} ({run.AchievedSendRate:F1}/s), accepted {run.Accepted}, refused {run.Refused}, completed {run.CompletedPerSecond:F1} orders/s");
        yield return I($"   POST /orders            {run.PostOrder}");
        yield return I($"   final via SignalR       {run.FinalViaSignalR}{(run.SignalRUsed ? "" : $"  [not used: {run.SignalRProblem ?? "disabled"}]")}");
        yield return I($"   PAID via SignalR        {run.PaidViaSignalR}");
        yield return I($"   FAILED via SignalR      {run.FailedViaSignalR}");
        yield return I($"   final via REST ({run.PollIntervalMs:0} ms) {run.FinalViaRest}");
        if (run.MissedPushes > 0)
        {
            yield return I($"   orders never pushed over SignalR: {run.MissedPushes}");
        }
        yield return "   errors: " + (run.ErrorsByKind.Count == 0 ? "none" : string.Join(", ", run.ErrorsByKind.Select(e => $"{e.Key} {e.Value}")));
        foreach (var hop in run.Hops)
        {
            yield return I($"   hop {hop.Hop,-78} p50 {hop.Latency.P50,7:F1}  p99 {hop.Latency.P99,7:F1}  max {hop.Latency.Max,7:F1} ms");
        }
        foreach (var p in run.Processes)
        {
            yield return I($"   process {p.Name,-9} x{p.Processes,-3} peak RSS {p.PeakRssMb,6:F0} MB  PSS {p.PeakPssMb,6:F0} MB  (VmHWM {p.HighWaterMb,5:F0} MB)  CPU {p.CpuSeconds,6:F1} s = {run.CpuMsPerOrder[p.Name],5:F2} ms/order");
        }
        yield return I($"   CPU per accepted order, all processes above: {run.CpuMsPerOrder.Values.Sum():F2} ms");
        if (run.Database is { } db)
        {
            yield return I($"   database work per accepted order: {db.Describe(run.Accepted)}");
        }
        yield return I($"   machine: {run.MachineBusyCpuSeconds:F1} CPU s busy in all (the processes above: {run.Processes.Sum(p => p.CpuSeconds):F1}), load average {run.LoadAverages}");
        var a = run.Audit;
        yield return I($"   audit: {(a.Clean ? "CLEAN" : "VIOLATED")} — {a.UsersChecked} users, orders {string.Join(", ", a.OrdersByStatus.Select(s => $"{s.Key} {s.Value}"))}, drained in {a.DrainSeconds:F1} s, unpublished outbox {a.UnpublishedOrdersOutbox}+{a.UnpublishedPaymentsOutbox}, DLQ {string.Join(", ", a.DeadLetters.Select(d => $"{d.Key} {d.Value}"))}");
        foreach (var line in a.Violations)
        {
            yield return "   VIOLATION: " + line;
        }
        foreach (var line in a.Notes)
        {
            yield return "   note: " + line;
        }
    }

    public static IEnumerable<string> Of(SweepResult sweep)
    {
        yield return "| target/s | sent/s | refused/s | completed/s | POST p50 | POST p99 | final p50 | final p90 | final p99 | final max | witness | errors | CPU ms/order | audit |";
        yield return "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|";
        foreach (var s in sweep.Steps)
        {
            yield return I($"| {s.TargetRate:F0} | {s.AchievedSendRate:F0} | {s.RefusedPerSecond:F0} | {s.CompletedPerSecond:F0} | {s.PostP50:F1} | {s.PostP99:F1} | {s.FinalP50:F1} | {s.FinalP90:F1} | {s.FinalP99:F1} | {s.FinalMax:F0} | {s.Witness} | {s.Errors} | {s.CpuMsPerOrder:F2} | {(s.AuditClean ? "clean" : "VIOLATED")} |");
        }
        yield return I($"capacity (last passing step): {sweep.CapacityOrdersPerSecond:F0} orders/s; stopped: {sweep.StopReason}");
    }

    public static IEnumerable<string> Of(IReadOnlyList<Ratio> ratios) =>
        ratios.Select(r => I($"   ratio {r.What,-60} {r.Value,7:F3}  ({r.Explanation})"));

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
