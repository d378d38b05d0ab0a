namespace Shop.FaultTests;

/// <summary>
/// Drives a steady stream of top-ups and orders while the broker and the database go down, app processes are
/// killed, second instances compete and duplicate and poison messages arrive; then audits every record.
/// </summary>
public sealed class FaultSuiteTests(ProcessSystem system, ITestOutputHelper output) : IClassFixture<ProcessSystem>
{
    private static readonly TimeSpan CatchUpBound = TimeSpan.FromSeconds(120);
    private readonly SystemAudit _audit = new(system.OrdersDb, system.PaymentsDb);
    private readonly AuditReport _report = new(output, Path.Combine(FaultEnvironment.Artifacts, "fault-audit.txt"));

    [Fact]
    public async Task Nothing_is_lost_or_applied_twice_through_outages_crashes_competing_instances_duplicates_and_poison()
    {
        var client = new HonestClient(system.Http);
        var stream = new TrafficStream(client, users: 8, firstUserId: Random.Shared.NextInt64(1_000_000, 9_000_000) * 1000);
        _report.Line($"Fault suite run {system.RunId} at {DateTime.UtcNow:u} (logs: {system.LogDirectory})");
        _report.Line($"Catch-up after each fault (stream running; until every order and event from before recovery is final and published):");

        stream.Start();
        await Task.Delay(TimeSpan.FromSeconds(5));

        await FaultAsync("RabbitMQ stopped ~10 s", async () =>
        {
            await Servers.StopBrokerAsync();
            await Task.Delay(TimeSpan.FromSeconds(10));
            await Servers.StartBrokerAsync();
        });
        await FaultAsync("PostgreSQL stopped 3 s and started", async () =>
        {
            await Servers.StopPostgresAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            await Servers.StartPostgresAsync();
            system.ClearPools();
        });
        await FaultAsync("Payments SIGKILL mid-stream, restarted", async () =>
        {
            await system.Payments.KillAsync();
            await system.Payments.StartAsync();
        });
        await FaultAsync("Orders SIGKILL mid-stream, restarted", async () =>
        {
            await system.Orders.KillAsync();
            await system.Orders.StartAsync();
        });
        await FaultAsync("Second Orders+Payments instances 10 s, then SIGKILL", async () =>
        {
            await system.StartSecondInstancesAsync();
            await Task.Delay(TimeSpan.FromSeconds(10));
            await system.KillSecondInstancesAsync();
        });

        IReadOnlyList<PoisonMessage> poison = [];
        var duplicates = 0;
        await FaultAsync("Duplicates re-published and poison injected", async () =>
        {
            await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
            duplicates = await MessageInjection.RepublishConsumedAsync(system, broker, perDatabase: 40);
            poison = await MessageInjection.PublishPoisonAsync(broker, stream.UserIds[0]);
        });
        await Task.Delay(TimeSpan.FromSeconds(3));

        var stopping = Stopwatch.StartNew();
        await stream.StopAsync();
        _report.Line($"Stream stopped after its last requests were answered ({stopping.Elapsed.TotalSeconds:0.0} s)");
        var drained = Stopwatch.StartNew();
        await system.WaitForDrainAsync(_audit, CatchUpBound);
        _report.Line($"Drained after the stream stopped in {drained.Elapsed.TotalSeconds:0.0} s");

        await AuditAsync(stream, client, poison, duplicates);
    }

    private async Task FaultAsync(string name, Func<Task> inject)
    {
        var outage = Stopwatch.StartNew();
        await inject();
        var recoveredAt = DateTimeOffset.UtcNow;
        var injected = outage.Elapsed;
        var catchUp = Stopwatch.StartNew();
        var backlog = await Eventually.UntilAsync(() => _audit.BacklogAsync(recoveredAt), _ => true, "the backlog", CatchUpBound, retryProbeErrors: true);
        await Eventually.UntilAsync(() => _audit.BacklogAsync(recoveredAt), n => n == 0, $"the backlog of '{name}' to clear", CatchUpBound, retryProbeErrors: true);
        _report.Line($"  {name,-52} fault {injected.TotalSeconds,5:0.0} s; backlog at recovery {backlog,4}; caught up in {catchUp.Elapsed.TotalSeconds,5:0.0} s");
    }

    private Task AuditAsync(TrafficStream stream, HonestClient client, IReadOnlyList<PoisonMessage> poison, int duplicates) =>
        StreamAudit.VerifyAsync(system, stream, client, poison, duplicates, _report);
}
