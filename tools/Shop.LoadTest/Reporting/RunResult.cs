namespace Shop.LoadTest.Reporting;

/// <summary>Everything one run measured: written as JSON and drawn as HTML.</summary>
public sealed record RunResult
{
    public required string Label { get; init; }
    public required string Model { get; init; }
    public double TargetRate { get; init; }
    public int? Concurrency { get; init; }
    public double DurationSeconds { get; init; }
    public int Users { get; init; }
    public long FirstUserId { get; init; }
    public long LastUserId { get; init; }
    public required string Gateway { get; init; }
    public DateTimeOffset StartedAt { get; init; }

    public long Sent { get; init; }
    public long Accepted { get; init; }
    public double AchievedSendRate { get; init; }

    /// <summary>Orders whose final status was seen within the load window, per second of it.</summary>
    public double CompletedPerSecond { get; init; }
    public required IReadOnlyDictionary<string, int> ErrorsByKind { get; init; }
    public long Errors => ErrorsByKind.Values.Sum();

    /// <summary>Orders the shop refused at admission (503 with Retry-After); not counted as errors.</summary>
    public long Refused { get; init; }

    /// <summary>SQL statements and commits in both databases while the load ran, if the databases report them.</summary>
    public DatabaseWork? Database { get; init; }

    /// <summary>CPU milliseconds per accepted order, per process group.</summary>
    public IReadOnlyDictionary<string, double> CpuMsPerOrder =>
        Processes.ToDictionary(p => p.Name, p => Accepted == 0 ? 0 : p.CpuSeconds * 1000 / Accepted);

    /// <summary>From the scheduled start (open model) to the 201.</summary>
    public required LatencySummary PostOrder { get; init; }

    /// <summary>From the scheduled start to the final status pushed over SignalR (all, PAID only, FAILED only).</summary>
    public required LatencySummary FinalViaSignalR { get; init; }
    public required LatencySummary PaidViaSignalR { get; init; }
    public required LatencySummary FailedViaSignalR { get; init; }

    /// <summary>From the scheduled start to the final status read by REST polling, for the sampled orders.</summary>
    public required LatencySummary FinalViaRest { get; init; }
    public double PollIntervalMs { get; init; }
    public bool SignalRUsed { get; init; }
    public string? SignalRProblem { get; init; }
    public long MissedPushes { get; init; }

    public required IReadOnlyList<ProcessUsage> Processes { get; init; }

    /// <summary>CPU seconds the whole machine was busy (all cores, anyone's work): more than the processes' sum means others competed.</summary>
    public double MachineBusyCpuSeconds { get; init; }
    public string LoadAverages { get; init; } = "";
    public required IReadOnlyList<HopSummary> Hops { get; init; }
    public required IReadOnlyList<TimelinePoint> Timeline { get; init; }
    public required IReadOnlyList<HistogramBucket> Histogram { get; init; }
    public required AuditResult Audit { get; init; }
}

/// <summary>One second of the load: what was sent then, and the latencies of those orders.</summary>
public sealed record TimelinePoint(int Second, int Sent, int Final, double PostP50, double PostP99, double FinalP50, double FinalP99, double FinalMax);

/// <summary>Orders whose latency fell in [FromMs, ToMs).</summary>
public sealed record HistogramBucket(double FromMs, double ToMs, long Post, long Final);

/// <summary>One stretch of an order's way, from timestamps the apps wrote (same machine, same clock).</summary>
public sealed record HopSummary(string Hop, LatencySummary Latency);
