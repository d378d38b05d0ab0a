namespace Shop.LoadTest.Reporting;

/// <summary>A self-contained HTML page per run or sweep: the figures, the audit and inline SVG charts.</summary>
public static class HtmlReport
{
    public static string ForRun(RunResult run, IReadOnlyList<Ratio> ratios)
    {
        var html = Start($"Shop load test — {run.Label}");
        html.Append(Invariant($"<p>{run.StartedAt:u} · gateway {E(run.Gateway)} · {run.Model} model · {run.DurationSeconds:F1} s · {run.Users} users · sent {run.Sent} ({run.AchievedSendRate:F1}/s) · accepted {run.Accepted} · completed {run.CompletedPerSecond:F1} orders/s</p>"));
        html.Append(Audit(run));
        html.Append("<h2>Latency (ms)</h2><table><tr><th>what</th><th>n</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>");
        Row(html, "POST /orders (from scheduled start)", run.PostOrder);
        Row(html, "order → final status, SignalR", run.FinalViaSignalR);
        Row(html, "order → PAID, SignalR", run.PaidViaSignalR);
        Row(html, "order → FAILED, SignalR", run.FailedViaSignalR);
        Row(html, Invariant($"order → final status, REST polling every {run.PollIntervalMs:0} ms"), run.FinalViaRest);
        html.Append("</table>");
        if (!run.SignalRUsed)
        {
            html.Append(Invariant($"<p><b>SignalR not used:</b> {E(run.SignalRProblem ?? "disabled")}</p>"));
        }
        else if (run.MissedPushes > 0)
        {
            html.Append(Invariant($"<p><b>{run.MissedPushes} order(s) never pushed</b> over SignalR.</p>"));
        }
        html.Append("<h2>Latency over the run</h2>");
        html.Append(Svg.LineChart("second of the run (orders grouped by scheduled start)", "ms", [
            new("final p50", "#1f77b4", [.. run.Timeline.Select(p => ((double)p.Second, p.FinalP50))]),
            new("final p99", "#d62728", [.. run.Timeline.Select(p => ((double)p.Second, p.FinalP99))]),
            new("final max", "#ff9896", [.. run.Timeline.Select(p => ((double)p.Second, p.FinalMax))]),
            new("POST p99", "#2ca02c", [.. run.Timeline.Select(p => ((double)p.Second, p.PostP99))]),
        ], logY: true));
        html.Append("<h2>Histogram</h2>");
        html.Append(Svg.BarChart("latency bucket (ms, each 1.25× the last)", "orders",
            [.. run.Histogram.Select(b => b.FromMs.ToString("0.##", CultureInfo.InvariantCulture))],
            [("POST /orders", "#2ca02c", [.. run.Histogram.Select(b => (double)b.Post)]), ("order → final", "#1f77b4", [.. run.Histogram.Select(b => (double)b.Final)])]));
        html.Append("<h2>Where the time goes (from the apps' timestamps)</h2><table><tr><th>hop</th><th>n</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>");
        foreach (var hop in run.Hops)
        {
            Row(html, hop.Hop, hop.Latency);
        }
        html.Append("</table><h2>Processes</h2><table><tr><th>process</th><th>count</th><th>peak RSS (MB)</th><th>peak PSS (MB)</th><th>VmHWM (MB)</th><th>CPU s</th></tr>");
        foreach (var p in run.Processes)
        {
            html.Append(Invariant($"<tr><td>{E(p.Name)}</td><td>{p.Processes}</td><td>{p.PeakRssMb:F0}</td><td>{p.PeakPssMb:F0}</td><td>{p.HighWaterMb:F0}</td><td>{p.CpuSeconds:F1}</td></tr>"));
        }
        html.Append(Invariant($"</table><p>Machine: {run.MachineBusyCpuSeconds:F1} CPU s busy in all (the processes above: {run.Processes.Sum(p => p.CpuSeconds):F1}); load average {E(run.LoadAverages)}.</p>"));
        Errors(html, run.ErrorsByKind);
        Ratios(html, ratios);
        return html.Append("</body></html>").ToString();
    }

    public static string ForSweep(SweepResult sweep)
    {
        var html = Start("Shop load test — sweep");
        html.Append(Invariant($"<p>Capacity: <b>{sweep.CapacityOrdersPerSecond:F0} orders/s</b> (the last step that passed). Stopped: {E(sweep.StopReason)}</p>"));
        html.Append("<table><tr><th>target/s</th><th>sent/s</th><th>completed/s</th><th>POST p50</th><th>POST p99</th><th>final p50</th><th>p90</th><th>p99</th><th>max</th><th>witness</th><th>errors</th><th>audit</th><th>pass</th></tr>");
        foreach (var s in sweep.Steps)
        {
            html.Append(Invariant($"<tr><td>{s.TargetRate:F0}</td><td>{s.AchievedSendRate:F0}</td><td>{s.CompletedPerSecond:F0}</td><td>{s.PostP50:F1}</td><td>{s.PostP99:F1}</td><td>{s.FinalP50:F1}</td><td>{s.FinalP90:F1}</td><td>{s.FinalP99:F1}</td><td>{s.FinalMax:F1}</td><td>{s.Witness}</td><td>{s.Errors}</td><td>{(s.AuditClean ? "clean" : "VIOLATED")}</td><td>{(s.Passed ? "yes" : "no")}</td></tr>"));
        }
        html.Append("</table>");
        html.Append(Svg.LineChart("target orders/s", "ms", [
            new("final p50", "#1f77b4", [.. sweep.Steps.Select(s => (s.TargetRate, s.FinalP50))]),
            new("final p99", "#d62728", [.. sweep.Steps.Select(s => (s.TargetRate, s.FinalP99))]),
            new("POST p99", "#2ca02c", [.. sweep.Steps.Select(s => (s.TargetRate, s.PostP99))]),
        ], logY: true));
        html.Append(Svg.LineChart("target orders/s", "orders/s", [
            new("completed/s", "#1f77b4", [.. sweep.Steps.Select(s => (s.TargetRate, s.CompletedPerSecond))]),
            new("target", "#999", [.. sweep.Steps.Select(s => (s.TargetRate, s.TargetRate))]),
        ]));
        Ratios(html, sweep.Ratios);
        return html.Append("</body></html>").ToString();
    }

    private static StringBuilder Start(string title) => new StringBuilder()
        .Append("<!doctype html><html><head><meta charset='utf-8'><title>").Append(E(title)).Append("</title><style>")
        .Append("body{font-family:sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse;margin:.5em 0}")
        .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
        .Append(".ok{color:#080}.bad{color:#c00}</style></head><body><h1>").Append(E(title)).Append("</h1>");

    private static string Audit(RunResult run)
    {
        var a = run.Audit;
        var text = new StringBuilder(a.Clean ? "<h2 class='ok'>Audit: clean</h2>" : "<h2 class='bad'>Audit: VIOLATED</h2>");
        text.Append(Invariant($"<p>{a.UsersChecked} users · orders {E(string.Join(", ", a.OrdersByStatus.Select(s => $"{s.Key} {s.Value}")))} · drained in {a.DrainSeconds:F1} s · unpublished outbox rows {a.UnpublishedOrdersOutbox} + {a.UnpublishedPaymentsOutbox} · dead letters {E(string.Join(", ", a.DeadLetters.Select(d => $"{d.Key} {d.Value}")))}</p>"));
        foreach (var violation in a.Violations)
        {
            text.Append("<p class='bad'>").Append(E(violation)).Append("</p>");
        }
        foreach (var note in a.Notes)
        {
            text.Append("<p>").Append(E(note)).Append("</p>");
        }
        return text.ToString();
    }

    private static void Errors(StringBuilder html, IReadOnlyDictionary<string, int> errors) =>
        html.Append("<h2>Errors</h2><p>").Append(errors.Count == 0 ? "none" : E(string.Join(", ", errors.Select(e => $"{e.Key}: {e.Value}")))).Append("</p>");

    private static void Ratios(StringBuilder html, IReadOnlyList<Ratio> ratios)
    {
        if (ratios.Count == 0)
        {
            return;
        }
        html.Append("<h2>Against this machine's limits</h2><table><tr><th>ratio</th><th>value</th><th>how</th></tr>");
        foreach (var r in ratios)
        {
            html.Append(Invariant($"<tr><td>{E(r.What)}</td><td>{r.Value:F3}</td><td>{E(r.Explanation)}</td></tr>"));
        }
        html.Append("</table>");
    }

    private static void Row(StringBuilder html, string what, LatencySummary l) =>
        html.Append(Invariant($"<tr><td>{E(what)}</td><td>{l.Count}</td><td>{l.P50:F1}</td><td>{l.P90:F1}</td><td>{l.P99:F1}</td><td>{l.P999:F1}</td><td>{l.Max:F1}</td></tr>"));

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
