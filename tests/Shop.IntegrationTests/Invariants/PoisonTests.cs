namespace Shop.IntegrationTests.Invariants;

/// <summary>
/// Poison goes to the dead-letter queue with its reason and never blocks the queue. (Failures that are not poison:
/// <see cref="ConsumerFailureTests"/>.)
/// Invariant I10 of docs/architecture.md.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class PoisonTests(ShopSystem system)
{
    private const string DeadLetterQueue = ShopTopology.PaymentsOrderCreatedQueue + ShopTopology.DeadLetterSuffix;

    [Fact]
    public async Task Poison_messages_land_in_the_DLQ_with_their_reason_and_the_consumer_goes_on()
    {
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(DeadLetterQueue);
        var badJson = Guid.NewGuid();
        var unknownType = Guid.NewGuid();
        var negativeAmount = Guid.NewGuid();

        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), "{\"orderId\": not json", badJson);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", "OrderShipped", "{}", unknownType);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated),
            $"{{\"orderId\":\"{Guid.NewGuid()}\",\"userId\":1,\"amount\":-5}}", negativeAmount);
        var dead = await DeadLettersAsync(broker, DeadLetterQueue, badJson, unknownType, negativeAmount);
        Assert.Contains("not a valid OrderCreated", RawBroker.Header(dead[badJson], MessageHeaders.DeathReason));
        Assert.Contains("unknown message type 'OrderShipped'", RawBroker.Header(dead[unknownType], MessageHeaders.DeathReason));
        Assert.Contains("amount -5", RawBroker.Header(dead[negativeAmount], MessageHeaders.DeathReason));
        Assert.All(dead.Values, m => Assert.Equal(ShopTopology.PaymentsOrderCreatedQueue, RawBroker.Header(m, MessageHeaders.OriginalQueue)));
        Assert.Equal(3, dead.Count);

        await system.PlacePaidOrderAsync(10, 10);
    }

    /// <summary>Waits until every one of <paramref name="ids"/> is in the dead-letter queue, then takes the queue's messages.</summary>
    internal static async Task<Dictionary<Guid, RabbitMQ.Client.BasicGetResult>> DeadLettersAsync(RawBroker broker, string queue, params Guid[] ids)
    {
        await Eventually.UntilAsync(() => broker.PeekAsync(queue), dead => ids.All(id => dead.Any(m => m.MessageId == id.ToString())),
            $"{ids.Length} messages in {queue}");
        return (await broker.DrainAsync(queue)).ToDictionary(m => Guid.Parse(m.BasicProperties.MessageId!));
    }
}
