namespace Shop.IntegrationTests.Invariants;

/// <summary>The inbox record commits with the effect, the ack follows the commit, a repeat changes nothing (docs/architecture.md, I7 and I8).</summary>
public sealed class InboxTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task Same_OrderCreated_delivered_twice_charges_once()
    {
        using var probe = new MessagingProbe();
        var (user, order) = await system.PlacePaidOrderAsync(100, 30);

        // The broker delivers the very same message (same message_id) once more.
        var (messageId, payload) = await system.OrdersOutboxRowAsync(order.Id, nameof(OrderCreated));
        // A cleanup run in between must not forget it: the record is well inside the deduplication window.
        await system.Payments.Services.GetRequiredService<IMessagingCleanup>().RunAsync(CancellationToken.None);
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), payload, messageId, order.Id);
        var deliveries = await probe.WaitForDeliveriesAsync(messageId, 2);
        Assert.Equal([MessagingMetrics.OutcomeApplied, MessagingMetrics.OutcomeDuplicate], deliveries.Select(d => d.Outcome));

        Assert.Equal(70, (await system.Client.GetBalanceAsync(user)).Balance);
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", order.Id));
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", messageId));
    }

    [Fact]
    public async Task Consumer_that_commits_and_dies_before_the_ack_gets_the_redelivery_and_applies_nothing_twice()
    {
        using var probe = new MessagingProbe();
        var user = await system.NewUserWithBalanceAsync(100);
        var fault = new InboxFault { HangAfterCommit = true };
        await system.ReplacePaymentsAsync(FaultInjection.Inbox<PaymentsDbContext>(fault));
        try
        {
            var order = await system.Client.PlaceOrderAsync(user, 40);
            var committed = await fault.Committed.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", order.Id));

            // Kill the consumer before its ack; a healthy instance takes over and receives the redelivery.
            await system.ReplacePaymentsAsync();

            // The first delivery never finished (no outcome: the instance stopped before its ack); the redelivery is the duplicate.
            var deliveries = await probe.WaitForDeliveriesAsync(committed.MessageId, 2);
            Assert.Equal([null, MessagingMetrics.OutcomeDuplicate], deliveries.Select(d => d.Outcome).Order());
            Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
            Assert.Equal(60, (await system.Client.GetBalanceAsync(user)).Balance);
            Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", order.Id));
            Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", committed.MessageId));
        }
        finally
        {
            await system.ReplacePaymentsAsync();
        }
    }
}
