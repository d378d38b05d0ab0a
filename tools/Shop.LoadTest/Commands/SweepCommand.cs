namespace Shop.LoadTest.Commands;

/// <summary>
/// <c>sweep</c>: the rates one after another, each a full run with fresh users and its own audit, until a step's
/// p99 passes the limit, errors appear, the audit fails or the system completes less than 95% of the offered rate.
/// </summary>
public static class SweepCommand
{
    public static async Task<int> ExecuteAsync(LoadTestOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var limits = options.WithLimits ? await new LimitsBenchmark(options, log).MeasureAsync(cancellationToken) : null;
        var steps = new List<SweepStep>();
        var stop = "every rate passed";
        var auditClean = true;
        foreach (var rate in options.SweepRates)
        {
            var stepOptions = options.WithRate(rate, options.StepDuration);
            stepOptions.Label = string.Create(CultureInfo.InvariantCulture, $"sweep step {rate:0}/s");
            var run = await new LoadRunner(stepOptions, log).RunAsync(cancellationToken);
            foreach (var line in ConsoleSummary.Of(run))
            {
                log(line);
            }
            await ResultsFile.WriteAsync(options.OutputDirectory(), string.Create(CultureInfo.InvariantCulture, $"sweep-step-{rate:0}"), run,
                HtmlReport.ForRun(run, []), cancellationToken);
            var step = SweepStep.From(run, options.P99Limit);
            steps.Add(step);
            auditClean &= run.Audit.Clean;
            if (!step.Passed && stop == "every rate passed")
            {
                stop = string.Create(CultureInfo.InvariantCulture,
                    $"at {rate:0}/s: p99 {step.FinalP99:F0} ms (limit {options.P99Limit.TotalMilliseconds:F0}), errors {step.Errors}, refused {step.RefusedPerSecond:F0}/s, completed {step.CompletedPerSecond:F0}/s, audit {(step.AuditClean ? "clean" : "violated")}");
                if (!options.KeepGoing)
                {
                    break;
                }
            }
        }
        // The knee: the last step before the first failure (with --keep-going, later steps may pass again by chance).
        var capacity = steps.TakeWhile(s => s.Passed).Select(s => s.CompletedPerSecond).DefaultIfEmpty(0).Max();
        var sweep = new SweepResult(steps, capacity, stop, limits, limits is null ? [] : Ratio.Of(capacity, limits, "sweep capacity"));
        foreach (var line in ConsoleSummary.Of(sweep).Concat(ConsoleSummary.Of(sweep.Ratios)))
        {
            log(line);
        }
        var path = await ResultsFile.WriteAsync(options.OutputDirectory(), "sweep", sweep, HtmlReport.ForSweep(sweep), cancellationToken);
        log($"[report] {path}.json and .html");
        return auditClean ? 0 : 1;
    }
}
