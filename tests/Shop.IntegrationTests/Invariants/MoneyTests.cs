namespace Shop.IntegrationTests.Invariants;

/// <summary>A balance never goes negative, an order is charged at most once, top-ups − charges = balance (docs/architecture.md, I11).</summary>
public sealed class MoneyTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task Fifty_concurrent_orders_of_one_user_whose_balance_covers_twenty_pay_exactly_twenty()
    {
        const long price = 25;
        var user = await system.NewUserWithBalanceAsync(20 * price);

        var orders = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => system.Client.PlaceOrderAsync(user, price)));
        var final = await Task.WhenAll(orders.Select(o => system.Client.WaitForFinalStatusAsync(user, o.Id, TimeSpan.FromSeconds(60))));

        Assert.Equal(20, final.Count(o => o.Status == "PAID"));
        Assert.Equal(30, final.Count(o => o.Status == "FAILED" && o.Reason == "insufficient_funds"));
        Assert.Equal(0, (await system.Client.GetBalanceAsync(user)).Balance);
        await AssertLedgerBalancesAsync(user);
        Assert.Equal(20, await system.PaymentsDb.ScalarAsync("SELECT count(DISTINCT order_id) FROM transactions WHERE user_id = $1 AND kind = 'charge'", user));
    }

    [Fact]
    public async Task Top_ups_minus_paid_orders_equal_the_balance_after_a_mixed_run()
    {
        var user = await system.NewUserWithBalanceAsync(300);
        var first = await Task.WhenAll(new[] { 100L, 150, 200, 50 }.Select(amount => system.Client.PlaceOrderAsync(user, amount)));
        await system.Client.TopUpAsync(user, 120);
        var second = await Task.WhenAll(new[] { 90L, 500 }.Select(amount => system.Client.PlaceOrderAsync(user, amount)));
        var final = await Task.WhenAll(first.Concat(second).Select(o => system.Client.WaitForFinalStatusAsync(user, o.Id)));

        var paid = final.Where(o => o.Status == "PAID").Sum(o => o.Amount);
        var balance = (await system.Client.GetBalanceAsync(user)).Balance;
        Assert.Equal(420 - paid, balance);
        Assert.True(balance >= 0);
        await AssertLedgerBalancesAsync(user);
    }

    [Fact]
    public async Task An_OrderCreated_for_an_order_charged_already_under_a_new_message_id_charges_nothing()
    {
        using var probe = new MessagingProbe();
        var (user, paid) = await system.PlacePaidOrderAsync(50, 20);

        // The same order under a new message id: the inbox lets it through, the ledger's charge of the order stops it.
        var again = Guid.NewGuid();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated),
            $"{{\"orderId\":\"{paid.Id}\",\"userId\":{user},\"amount\":20}}", again, paid.Id);
        // This very message was handled, committed and acked (its span ends after the ack).
        Assert.Equal(MessagingMetrics.OutcomeApplied, (await probe.WaitForDeliveryAsync(again)).Outcome);
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", again));

        Assert.Equal(30, (await system.Client.GetBalanceAsync(user)).Balance);
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", paid.Id));
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE correlation_id = $1 AND type IN ('PaymentCompleted', 'PaymentFailed')", paid.Id));
        await AssertLedgerBalancesAsync(user);
    }

    private async Task AssertLedgerBalancesAsync(long user)
    {
        var topUps = await system.PaymentsDb.ScalarAsync("SELECT coalesce(sum(amount), 0) FROM transactions WHERE user_id = $1 AND kind = 'topup'", user);
        var charges = await system.PaymentsDb.ScalarAsync("SELECT coalesce(sum(amount), 0) FROM transactions WHERE user_id = $1 AND kind = 'charge'", user);
        var balance = await system.PaymentsDb.ScalarAsync("SELECT balance FROM accounts WHERE user_id = $1", user);
        Assert.Equal(topUps - charges, balance);
        var paidOrders = await system.OrdersDb.ScalarAsync("SELECT coalesce(sum(amount), 0) FROM orders WHERE user_id = $1 AND status = 'PAID'", user);
        Assert.Equal(charges, paidOrders);
    }
}
