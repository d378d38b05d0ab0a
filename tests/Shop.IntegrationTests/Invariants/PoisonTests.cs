namespace Shop.IntegrationTests.Invariants;

/// <summary>
/// Poison goes to the dead-letter queue with its reason and never blocks the queue. (Failures that are not poison:
/// <see cref="ConsumerFailureTests"/>.)
/// Invariant I10 of docs/architecture.md.
/// </summary>
public sealed class PoisonTests(ShopSystem system) : ShopTests
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
        await AssertDeadLetteredAsync(broker, ShopTopology.PaymentsOrderCreatedQueue,
            (badJson, "not a valid OrderCreated"), (unknownType, "unknown message type 'OrderShipped'"), (negativeAmount, "amount -5"));

        await system.PlacePaidOrderAsync(10, 10);
    }

    [Fact]
    public async Task An_OrderCreated_with_user_0_amount_0_or_an_empty_order_id_is_dead_lettered_and_charges_nothing()
    {
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(DeadLetterQueue);
        var user = await system.NewUserWithBalanceAsync(100);
        var userZero = Guid.NewGuid();
        var amountZero = Guid.NewGuid();
        var emptyOrder = Guid.NewGuid();

        // Each is one value off a message Payments would charge: the bounds are zero itself, not below it.
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated),
            $"{{\"orderId\":\"{Guid.NewGuid()}\",\"userId\":0,\"amount\":5}}", userZero);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated),
            $"{{\"orderId\":\"{Guid.NewGuid()}\",\"userId\":{user},\"amount\":0}}", amountZero);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated),
            $"{{\"orderId\":\"{Guid.Empty}\",\"userId\":{user},\"amount\":5}}", emptyOrder);
        await AssertDeadLetteredAsync(broker, ShopTopology.PaymentsOrderCreatedQueue,
            (userZero, "has user 0 and amount 5"), (amountZero, $"has user {user} and amount 0"), (emptyOrder, $"order {Guid.Empty} has user {user}"));

        Assert.Equal(0, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE user_id = $1 AND kind = 'charge'", user));
        Assert.Equal(100, (await system.Client.GetBalanceAsync(user)).Balance);
    }

    [Fact]
    public async Task A_message_id_that_is_not_a_UUID_and_a_null_body_land_in_the_DLQ_each_with_its_reason()
    {
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(DeadLetterQueue);
        var notUuid = $"order-{Guid.NewGuid():N}";
        var notUuidCorrelation = Guid.NewGuid();
        var nullBody = Guid.NewGuid();

        // RawBroker.PublishAsync sets a UUID message id; this one must not be. The channel awaits the broker's confirm.
        var properties = new BasicProperties
        {
            Persistent = true, Type = nameof(OrderCreated), MessageId = notUuid, CorrelationId = notUuidCorrelation.ToString(), ContentType = "application/json",
        };
        await broker.Channel.BasicPublishAsync(ShopTopology.OrdersExchange, "order.created", mandatory: true, properties,
            Encoding.UTF8.GetBytes($"{{\"orderId\":\"{Guid.NewGuid()}\",\"userId\":1,\"amount\":5}}"));
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), "null", nullBody);

        // The dead letter of a message without a UUID gets an id of its own: it is found by its correlation id.
        var dead = await Eventually.UntilAsync(() => broker.PeekAsync(DeadLetterQueue),
            peeked => peeked.Any(m => m.CorrelationId == notUuidCorrelation.ToString()) && peeked.Any(m => m.MessageId == nullBody.ToString()),
            $"both messages in {DeadLetterQueue}");
        Assert.Equal($"message_id '{notUuid}' is not a UUID", dead.Single(m => m.CorrelationId == notUuidCorrelation.ToString()).Reason);
        Assert.Equal($"body is not a valid {nameof(OrderCreated)}: null", dead.Single(m => m.MessageId == nullBody.ToString()).Reason);
        Assert.Equal(2, (await broker.DrainAsync(DeadLetterQueue)).Count);

        await system.PlacePaidOrderAsync(10, 10);
    }

    /// <summary>
    /// Waits until every expected message is in <paramref name="queue"/>'s dead-letter queue, takes the queue's messages and
    /// asserts they are those, each with a reason that contains its text and <paramref name="queue"/> as its original queue.
    /// </summary>
    internal static async Task AssertDeadLetteredAsync(RawBroker broker, string queue, params (Guid Id, string Reason)[] expected)
    {
        var deadLetters = queue + ShopTopology.DeadLetterSuffix;
        await Eventually.UntilAsync(() => broker.PeekAsync(deadLetters), peeked => expected.All(e => peeked.Any(m => m.MessageId == e.Id.ToString())),
            $"{expected.Length} messages in {deadLetters}");
        var dead = (await broker.DrainAsync(deadLetters)).ToDictionary(m => Guid.Parse(m.BasicProperties.MessageId!));
        foreach (var (id, reason) in expected)
        {
            Assert.Contains(reason, RawBroker.Header(dead[id], MessageHeaders.DeathReason));
        }
        Assert.All(dead.Values, m => Assert.Equal(queue, RawBroker.Header(m, MessageHeaders.OriginalQueue)));
        Assert.Equal(expected.Length, dead.Count);
    }
}
