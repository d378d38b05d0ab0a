namespace Shop.FaultTests.Cluster;

/// <summary>
/// One cluster test's traffic: a steady stream of top-ups and orders from users of its own, the waits that pace the
/// faults on what the system has done (completions, not time), and at the end the drain, the longest stall of order
/// completions and the full audit, written to artifacts/cluster/&lt;name&gt;.txt.
/// </summary>
public sealed class StreamRun : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);
    private readonly RabbitMqCluster _cluster;
    private readonly ProcessSystem _system;
    private readonly HonestClient _client;
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;

    private StreamRun(RabbitMqCluster cluster, ProcessSystem system, ITestOutputHelper output, string name)
    {
        _cluster = cluster;
        _system = system;
        _client = new HonestClient(system.Http);
        Stream = new TrafficStream(_client, users: 6, firstUserId: Random.Shared.NextInt64(1_000_000, 9_000_000) * 1000);
        Report = new AuditReport(output, Path.Combine(FaultEnvironment.Artifacts, "cluster", name + ".txt"));
        Report.Line($"{name}: run {system.RunId} at {DateTime.UtcNow:u} (logs: {system.LogDirectory})");
    }

    public TrafficStream Stream { get; }
    public AuditReport Report { get; }

    public ProcessSystem System => _system;

    /// <summary>Starts the stream on the cluster's shared system and waits for 30 orders to complete before any fault.</summary>
    public static async Task<StreamRun> StartAsync(RabbitMqCluster cluster, ITestOutputHelper output, string name)
    {
        var run = new StreamRun(cluster, await cluster.SharedSystemAsync(), output, name);
        run.Stream.Start();
        await run.CompletionsAsync(DateTimeOffset.MinValue, 30, "before the fault");
        return run;
    }

    /// <summary>Waits until at least <paramref name="count"/> of this run's orders became final after <paramref name="since"/>.</summary>
    public Task CompletionsAsync(DateTimeOffset since, int count, string what) =>
        StallReport.OnTimeoutAsync(_cluster, _system, () => Eventually.UntilAsync(() => _system.OrdersDb.ScalarAsync(
                "SELECT count(*) FROM orders WHERE user_id = ANY($1) AND status <> 'PENDING' AND updated_at > $2", Users, since),
            n => n >= count, $"{count} orders to complete {what}", Bound, retryProbeErrors: true));

    /// <summary>This run's orders created after <paramref name="since"/>: id, status, and whether their OrderCreated was published.</summary>
    public Task<List<(Guid Id, string Status)>> OrdersCreatedAfterAsync(DateTimeOffset since) =>
        _system.OrdersDb.QueryAsync("SELECT id, status FROM orders WHERE user_id = ANY($1) AND created_at > $2",
            r => (r.GetGuid(0), r.GetString(1)), Users, since);

    /// <summary>Outbox rows of Orders written after <paramref name="since"/>: all, and those the broker confirmed.</summary>
    public async Task<(long Written, long Published)> OutboxAfterAsync(DateTimeOffset since) =>
        (await _system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE created_at > $1", since),
         await _system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE created_at > $1 AND published_at IS NOT NULL", since));

    /// <summary>Waits until none of this run's orders created up to <paramref name="until"/> is pending; returns how long that took.</summary>
    public async Task<TimeSpan> SettledAsync(DateTimeOffset until, string what)
    {
        var clock = Stopwatch.StartNew();
        await StallReport.OnTimeoutAsync(_cluster, _system, () => Eventually.UntilAsync(() => _system.OrdersDb.ScalarAsync(
                "SELECT count(*) FROM orders WHERE user_id = ANY($1) AND status = 'PENDING' AND created_at <= $2", Users, until),
            n => n == 0, what, Bound, retryProbeErrors: true));
        return clock.Elapsed;
    }

    /// <summary>
    /// Stops the stream, waits for the system to drain, reports the longest stall of completions (the longest time
    /// between two consecutive orders becoming final, by Orders' own timestamps) and runs the full audit.
    /// </summary>
    public async Task FinishAsync(IReadOnlyCollection<PoisonMessage> poison, params (string Name, DateTimeOffset At)[] marks)
    {
        await Stream.StopAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        var audit = new SystemAudit(_system.OrdersDb, _system.PaymentsDb);
        var drain = Stopwatch.StartNew();
        await StallReport.OnTimeoutAsync(_cluster, _system, async () =>
        {
            await _system.WaitForDrainAsync(audit, Bound);
            return true;
        });
        Report.Line($"Stream stopped; drained {drain.Elapsed.TotalSeconds:0.0} s later");

        var completions = await _system.OrdersDb.QueryAsync(
            "SELECT updated_at FROM orders WHERE user_id = ANY($1) AND status <> 'PENDING' AND updated_at <= $2 ORDER BY updated_at",
            r => r.GetFieldValue<DateTimeOffset>(0), Users, stoppedAt);
        ReportStall(completions, marks);
        await StreamAudit.VerifyAsync(_system, Stream, _client, poison, duplicates: 0, Report);
    }

    private void ReportStall(List<DateTimeOffset> completions, (string Name, DateTimeOffset At)[] marks)
    {
        if (completions.Count < 2)
        {
            Report.Line($"Completions: {completions.Count}, too few to measure a stall");
            return;
        }
        var gaps = completions.Zip(completions.Skip(1), (from, to) => (From: from, Gap: to - from)).ToList();
        var longest = gaps.MaxBy(g => g.Gap);
        Report.Line($"Completions of this run's orders: {completions.Count} from {_startedAt:HH:mm:ss.fff} (UTC)");
        Report.Figure("longest stall of completions", $"{Ms(longest.Gap)} from {longest.From:HH:mm:ss.fff}");
        var first = marks.Length > 0 ? marks[0].At : DateTimeOffset.MaxValue;
        var before = gaps.Where(g => g.From < first).Select(g => g.Gap).DefaultIfEmpty().Max();
        Report.Figure("longest gap before the first fault", Ms(before));
        foreach (var (name, at) in marks)
        {
            var next = completions.FirstOrDefault(c => c > at);
            Report.Figure($"{name} at {at:HH:mm:ss.fff}", next == default ? "no completion after it" : $"next completion {Ms(next - at)} later");
        }
    }

    private long[] Users => [.. Stream.UserIds];

    /// <summary>Stops the stream if a failed test left it running, so it does not load the next test's system.</summary>
    public async ValueTask DisposeAsync() => await Stream.StopAsync();

    private static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
