namespace Shop.FaultTests.Audit;

/// <summary>
/// The audit after a traffic stream has drained: every request the clients were told was accepted is a row, every
/// order is final and charged at most once, each user's top-ups − charges = balance ≥ 0, no outbox row is unpublished,
/// and the dead-letter queues hold exactly the poison injected. Figures go to the report before the assertions run.
/// </summary>
public static class StreamAudit
{
    public static async Task VerifyAsync(ProcessSystem system, TrafficStream stream, HonestClient client, IReadOnlyCollection<PoisonMessage> poison, int duplicates, AuditReport report)
    {
        var audit = new SystemAudit(system.OrdersDb, system.PaymentsDb);
        var users = stream.UserIds.ToHashSet();
        var orders = (await audit.OrdersAsync()).Where(o => users.Contains(o.UserId)).ToList();
        var ledger = (await audit.LedgerAsync()).Where(e => users.Contains(e.UserId)).ToList();
        var balances = await audit.BalancesAsync();
        var charges = ledger.Where(e => e.Kind == "charge").ToList();
        var topUps = ledger.Where(e => e.Kind == "topup").ToList();
        var unpublished = await audit.UnpublishedOutboxAsync();
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

        report.Line($"Audit:");
        report.Figure("users", stream.UserIds.Count);
        report.Figure("orders accepted (201) / rows", $"{stream.AcceptedOrders.Count} / {orders.Count}");
        report.Figure("orders PAID / FAILED / PENDING", $"{paid.Count} / {orders.Count(o => o.Status == "FAILED")} / {orders.Count(o => o.Status == "PENDING")}");
        report.Figure("top-ups accepted (200) / ledger rows", $"{stream.AcceptedTopUps.Count} / {topUps.Count}");
        report.Figure("top-up amount accepted / in ledger", $"{stream.AcceptedTopUps.Sum(t => t.Amount)} / {topUps.Sum(t => t.Amount)}");
        report.Figure("charges / PAID orders", $"{charges.Count} / {paid.Count}");
        report.Figure("requests refused (4xx)", stream.RefusedRequests);
        report.Figure("HTTP answers (attempts)", string.Join(", ", client.Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}")));
        report.Figure("client retries with the same Idempotency-Key", client.Retries);
        report.Figure("duplicates re-published", duplicates);
        var absorbed = system.CountLogLines("absorbed by the inbox");
        report.Figure("deliveries absorbed as duplicates by the inboxes", absorbed);
        report.Figure("consumer retries (logs)", system.CountLogLines("failed on attempt"));
        report.Figure("unpublished outbox rows orders / payments", $"{unpublished.Orders} / {unpublished.Payments}");
        report.Figure("payments.order-created.dlq", string.Join("; ", orderCreatedDlq.Select(m => $"{m.MessageId} {m.Type}: {m.Reason}")));
        report.Figure("orders.payment-results.dlq", paymentResultsDlq.Count);
        // The gateway's live feed listens on an exclusive queue: a status change published while it reconnects is unrouted (a missed push, not lost state).
        report.Figure("shop.unrouted: business events / live pushes", $"{unroutedBusiness.Count} / {unrouted.Count - unroutedBusiness.Count}");
        foreach (var u in userLedger)
        {
            report.Figure($"user {u.User}: top-ups - charges = balance", $"{u.TopUps} - {u.Charges} = {u.TopUps - u.Charges} (balance {u.Balance})");
        }
        foreach (var error in client.ServerErrors)
        {
            report.Line($"  500 answer: {error}");
        }
        await report.SaveAsync();

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
        Assert.All(orderCreatedDlq, m => Assert.False(string.IsNullOrWhiteSpace(m.Reason), $"dead letter {m.MessageId} has no {Shop.Messaging.RabbitMq.MessageHeaders.DeathReason}"));
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
