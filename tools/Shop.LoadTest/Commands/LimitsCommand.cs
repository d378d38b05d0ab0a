namespace Shop.LoadTest.Commands;

/// <summary><c>limits</c>: the machine's raw rates, and the latest sweep's and run's figures as ratios to them.</summary>
public static class LimitsCommand
{
    public static async Task<int> ExecuteAsync(LoadTestOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var limits = await new LimitsBenchmark(options, log).MeasureAsync(cancellationToken);
        var directory = options.OutputDirectory();
        var ratios = new List<Ratio>();
        if (await ResultsFile.ReadLatestAsync<SweepResult>(directory, "sweep", cancellationToken) is { } sweep)
        {
            ratios.AddRange(Ratio.Of(sweep.CapacityOrdersPerSecond, limits, "latest sweep's capacity"));
        }
        if (await ResultsFile.ReadLatestAsync<RunResult>(directory, "run", cancellationToken) is { } run)
        {
            ratios.AddRange(Ratio.Of(run.CompletedPerSecond, limits, $"latest run, {run.Label}"));
        }
        if (ratios.Count == 0)
        {
            log($"[limits] no run or sweep results in {directory} yet: run one to see the system's figures as ratios");
        }
        foreach (var line in ConsoleSummary.Of(ratios))
        {
            log(line);
        }
        var path = await ResultsFile.WriteAsync(directory, "limits", new { limits, ratios }, null, cancellationToken);
        log($"[report] {path}.json");
        return 0;
    }
}
