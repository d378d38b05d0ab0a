namespace Shop.LoadTest.Commands;

/// <summary><c>run</c>: one load run with its audit; exit code 1 when the audit is violated.</summary>
public static class RunCommand
{
    public static async Task<int> ExecuteAsync(LoadTestOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var limits = options.WithLimits ? await new LimitsBenchmark(options, log).MeasureAsync(cancellationToken) : null;
        var run = await new LoadRunner(options, log).RunAsync(cancellationToken);
        var ratios = limits is null ? [] : Ratio.Of(run.CompletedPerSecond, limits, "this run");
        foreach (var line in ConsoleSummary.Of(run).Concat(ConsoleSummary.Of(ratios)))
        {
            log(line);
        }
        var path = await ResultsFile.WriteAsync(options.OutputDirectory(), "run", run, HtmlReport.ForRun(run, ratios), cancellationToken);
        log($"[report] {path}.json and .html");
        return run.Audit.Clean ? 0 : 1;
    }
}
