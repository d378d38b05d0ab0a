namespace Shop.IntegrationTests.Invariants;

/// <summary>An order goes PENDING → PAID or PENDING → FAILED, once (docs/architecture.md, I12).</summary>
public sealed class StatusTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task A_second_payment_result_does_not_change_a_final_order()
    {
        using var probe = new MessagingProbe();
        var (user, paid) = await system.PlacePaidOrderAsync(50, 20);

        // A contradicting result under a new message id: the inbox lets it through, the status rule stops it.
        var contradicting = Guid.NewGuid();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.PublishAsync(ShopTopology.PaymentsExchange, "payment.failed", nameof(PaymentFailed),
            $"{{\"orderId\":\"{paid.Id}\",\"userId\":{user},\"amount\":20,\"reason\":\"insufficient_funds\"}}", contradicting, paid.Id);
        // This very message was handled, committed and acked (its span ends after the ack).
        Assert.Equal(MessagingMetrics.OutcomeApplied, (await probe.WaitForDeliveryAsync(contradicting)).Outcome);
        Assert.Equal(1, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", contradicting));

        var after = await system.Client.GetOrderAsync(user, paid.Id);
        Assert.Equal("PAID", after.Status);
        Assert.Equal(paid.UpdatedAt, after.UpdatedAt);
        Assert.Equal(1, await system.OrdersDb.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE correlation_id = $1 AND type = 'OrderStatusChanged'", paid.Id));
    }
}
