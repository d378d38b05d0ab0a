using Shop.Contracts;
using Shop.IntegrationTests.Infrastructure;
using Shop.Messaging;
using Shop.Payments.Data;

namespace Shop.IntegrationTests.Invariants;

/// <summary>DESIGN §6.6: poison goes to the dead-letter queue with its reason; a transient failure is retried, never lost.</summary>
[Collection(ShopCollection.Name)]
public sealed class PoisonTests(ShopSystem system)
{
    private const string DeadLetterQueue = ShopTopology.PaymentsOrderCreatedQueue + ShopTopology.DeadLetterSuffix;

    [Fact]
    public async Task Poison_messages_land_in_the_DLQ_with_their_reason_and_the_consumer_goes_on()
    {
        using var probe = new MessagingProbe();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(DeadLetterQueue);
        var deadBefore = probe.Consumed(ShopTopology.PaymentsOrderCreatedQueue, MessagingMetrics.OutcomeDeadLettered);
        var badJson = Guid.NewGuid();
        var unknownType = Guid.NewGuid();
        var negativeAmount = Guid.NewGuid();

        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), "{\"orderId\": not json", badJson);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", "OrderShipped", "{}", unknownType);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated),
            $"{{\"orderId\":\"{Guid.NewGuid()}\",\"userId\":1,\"amount\":-5}}", negativeAmount);
        await probe.WaitForConsumedAsync(ShopTopology.PaymentsOrderCreatedQueue, MessagingMetrics.OutcomeDeadLettered, deadBefore + 3);

        var dead = (await broker.DrainAsync(DeadLetterQueue)).ToDictionary(m => Guid.Parse(m.BasicProperties.MessageId!));
        Assert.Contains("not a valid OrderCreated", RawBroker.Header(dead[badJson], MessageHeaders.DeathReason));
        Assert.Contains("unknown message type 'OrderShipped'", RawBroker.Header(dead[unknownType], MessageHeaders.DeathReason));
        Assert.Contains("amount -5", RawBroker.Header(dead[negativeAmount], MessageHeaders.DeathReason));
        Assert.Equal(ShopTopology.PaymentsOrderCreatedQueue, RawBroker.Header(dead[badJson], MessageHeaders.OriginalQueue));

        var user = ShopSystem.NewUserId();
        await system.Client.TopUpAsync(user, 10);
        var order = await system.Client.PlaceOrderAsync(user, 10);
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
    }

    [Fact]
    public async Task Transient_failure_is_retried_with_backoff_and_applied_once()
    {
        using var probe = new MessagingProbe();
        var user = ShopSystem.NewUserId();
        await system.Client.TopUpAsync(user, 10);
        var fault = new InboxFault { FailuresBefore = 3 };
        await system.ReplacePaymentsAsync(FaultInjection.Inbox<PaymentsDbContext>(fault));
        try
        {
            var deadBefore = probe.Consumed(ShopTopology.PaymentsOrderCreatedQueue, MessagingMetrics.OutcomeDeadLettered);
            var order = await system.Client.PlaceOrderAsync(user, 10);

            Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
            Assert.True(probe.Retries(ShopTopology.PaymentsOrderCreatedQueue) >= 3, "three injected failures were retried");
            Assert.Equal(deadBefore, probe.Consumed(ShopTopology.PaymentsOrderCreatedQueue, MessagingMetrics.OutcomeDeadLettered));
            Assert.Equal(0, (await system.Client.GetBalanceAsync(user)).Balance);
        }
        finally
        {
            await system.ReplacePaymentsAsync();
        }
    }
}
