using System.Diagnostics;
using Shop.Contracts;
using Shop.FaultTests.Audit;
using Shop.FaultTests.Infrastructure;
using Shop.FaultTests.Traffic;
using Xunit.Abstractions;

namespace Shop.FaultTests;

/// <summary>
/// Drives a steady stream of top-ups and orders while the broker and the database go down, app processes are
/// killed, second instances compete and duplicate and poison messages arrive; then audits every record.
/// </summary>
public sealed class FaultSuiteTests(ProcessSystem system, ITestOutputHelper output) : IClassFixture<ProcessSystem>
{
    private static readonly TimeSpan CatchUpBound = TimeSpan.FromSeconds(120);
    private readonly SystemAudit _audit = new(system);
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
        await Eventually.UntilAsync(
            async () => await _audit.BacklogAsync()
                + await system.Management.DepthAsync(system.VirtualHost, ShopTopology.PaymentsOrderCreatedQueue)
                + await system.Management.DepthAsync(system.VirtualHost, ShopTopology.OrdersPaymentResultsQueue),
            backlog => backlog == 0, "the system to drain after the stream", CatchUpBound, retryProbeErrors: true);
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

    private async Task AuditAsync(TrafficStream stream, HonestClient client, IReadOnlyList<PoisonMessage> poison, int duplicates)
    {
        var users = stream.UserIds.ToHashSet();
        var orders = (await _audit.OrdersAsync()).Where(o => users.Contains(o.UserId)).ToList();
        var ledger = (await _audit.LedgerAsync()).Where(e => users.Contains(e.UserId)).ToList();
        var balances = await _audit.BalancesAsync();
        var charges = ledger.Where(e => e.Kind == "charge").ToList();
        var topUps = ledger.Where(e => e.Kind == "topup").ToList();
        var unpublished = await _audit.UnpublishedOutboxAsync();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var orderCreatedDlq = await broker.PeekAsync(ShopTopology.PaymentsOrderCreatedQueue + ShopTopology.DeadLetterSuffix);
        var paymentResultsDlq = await broker.PeekAsync(ShopTopology.OrdersPaymentResultsQueue + ShopTopology.DeadLetterSuffix);
        var unrouted = await broker.PeekAsync(ShopTopology.UnroutedQueue);

        var paid = orders.Where(o => o.Status == "PAID").ToList();
        var chargesPerOrder = charges.GroupBy(c => c.OrderId!.Value).ToDictionary(g => g.Key, g => g.Count());
        var userLedger = stream.UserIds.Select(u => new
        {
            User = u,
            TopUps = topUps.Where(t => t.UserId == u).Sum(t => t.Amount),
            Charges = charges.Where(c => c.UserId == u).Sum(c => c.Amount),
            Balance = balances.GetValueOrDefault(u, -1),
        }).ToList();
        var poisonIds = poison.Select(p => p.MessageId.ToString()).ToHashSet();
        var unroutedBusiness = unrouted.Where(m => m.Type != nameof(OrderStatusChanged)).ToList();

        _report.Line($"Audit:");
        _report.Figure("users", stream.UserIds.Count);
        _report.Figure("orders accepted (201) / rows", $"{stream.AcceptedOrders.Count} / {orders.Count}");
        _report.Figure("orders PAID / FAILED / PENDING", $"{paid.Count} / {orders.Count(o => o.Status == "FAILED")} / {orders.Count(o => o.Status == "PENDING")}");
        _report.Figure("top-ups accepted (200) / ledger rows", $"{stream.AcceptedTopUps.Count} / {topUps.Count}");
        _report.Figure("top-up amount accepted / in ledger", $"{stream.AcceptedTopUps.Sum(t => t.Amount)} / {topUps.Sum(t => t.Amount)}");
        _report.Figure("charges / PAID orders", $"{charges.Count} / {paid.Count}");
        _report.Figure("requests refused (4xx)", stream.RefusedRequests);
        _report.Figure("HTTP answers (attempts)", string.Join(", ", client.Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}")));
        _report.Figure("client retries with the same Idempotency-Key", client.Retries);
        _report.Figure("duplicates re-published", duplicates);
        var absorbed = system.CountLogLines("absorbed by the inbox");
        _report.Figure("deliveries absorbed as duplicates by the inboxes", absorbed);
        _report.Figure("consumer retries (logs)", system.CountLogLines("failed on attempt"));
        _report.Figure("unpublished outbox rows orders / payments", $"{unpublished.Orders} / {unpublished.Payments}");
        _report.Figure("payments.order-created.dlq", string.Join("; ", orderCreatedDlq.Select(m => $"{m.MessageId} {m.Type}: {m.Reason}")));
        _report.Figure("orders.payment-results.dlq", paymentResultsDlq.Count);
        // The gateway's live feed listens on an exclusive queue: a status change published while it reconnects is unrouted (a missed push, not lost state).
        _report.Figure("shop.unrouted: business events / live pushes", $"{unroutedBusiness.Count} / {unrouted.Count - unroutedBusiness.Count}");
        foreach (var u in userLedger)
        {
            _report.Figure($"user {u.User}: top-ups - charges = balance", $"{u.TopUps} - {u.Charges} = {u.TopUps - u.Charges} (balance {u.Balance})");
        }
        foreach (var error in client.ServerErrors)
        {
            _report.Line($"  500 answer: {error}");
        }
        await _report.SaveAsync();

        Assert.DoesNotContain(orders, o => o.Status == "PENDING");
        Assert.Equal(stream.AcceptedOrders.Select(o => o.OrderId).Order(), orders.Select(o => o.Id).Order());
        Assert.Equal(stream.AcceptedTopUps.Select(t => t.IdempotencyKey).Order(), topUps.Select(t => t.IdempotencyKey!).Order());
        Assert.All(paid, o => Assert.Equal(1, chargesPerOrder.GetValueOrDefault(o.Id)));
        Assert.Equal(paid.Select(o => o.Id).Order(), chargesPerOrder.Keys.Order());
        Assert.All(charges, c => Assert.Equal(orders.Single(o => o.Id == c.OrderId).Amount, c.Amount));
        Assert.All(userLedger, u =>
        {
            Assert.Equal(u.TopUps - u.Charges, u.Balance);
            Assert.True(u.Balance >= 0, $"user {u.User} has balance {u.Balance}");
        });
        Assert.Equal((0L, 0L), unpublished);
        Assert.Equal(poisonIds.Order(), orderCreatedDlq.Select(m => m.MessageId!).Order());
        Assert.All(orderCreatedDlq, m => Assert.False(string.IsNullOrWhiteSpace(m.Reason), $"dead letter {m.MessageId} has no {Shop.Messaging.MessageHeaders.DeathReason}"));
        Assert.Empty(paymentResultsDlq);
        Assert.Empty(unroutedBusiness);
        // Every re-published event was a duplicate by the time it was handled: each was absorbed (crashes add more).
        Assert.True(absorbed >= duplicates, $"{duplicates} events were re-published but only {absorbed} deliveries were absorbed as duplicates");
        // A missed push is not lost state: each status change the gateway's feed missed is the order's final status in Orders.
        var statusById = orders.ToDictionary(o => o.Id, o => o.Status);
        Assert.All(unrouted.Where(m => m.Type == nameof(OrderStatusChanged)), push =>
        {
            using var body = System.Text.Json.JsonDocument.Parse(push.Body);
            var orderId = body.RootElement.GetProperty("orderId").GetGuid();
            Assert.True(statusById.TryGetValue(orderId, out var status) || !users.Contains(body.RootElement.GetProperty("userId").GetInt64()),
                $"missed push {push.MessageId} names order {orderId}, which is not in Orders");
            if (statusById.ContainsKey(orderId))
            {
                Assert.Equal(status, body.RootElement.GetProperty("status").GetString());
            }
        });
        Assert.Empty(client.ServerErrors);
    }
}
