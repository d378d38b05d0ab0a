using Microsoft.Extensions.Options;

namespace Shop.IntegrationTests.Invariants;

/// <summary>
/// Consumers handle the deliveries that have arrived together, in one transaction: every effect still applies once, the
/// money rules hold inside a batch, poison leaves alone and a crash before the ack redelivers the batch harmlessly. Each
/// test queues OrderCreated while Payments is down, then starts a Payments whose first unit of work waits until the rest
/// of the backlog sits in its consumer, so the batches are the ones the test means.
/// Invariants I7, I8, I10 and I11 of docs/architecture.md.
/// </summary>
public sealed class BatchTests(ShopSystem system) : ShopTests, IAsyncLifetime
{
    private const string Queue = ShopTopology.PaymentsOrderCreatedQueue;
    private const string DeadLetterQueue = Queue + ShopTopology.DeadLetterSuffix;

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(64)]
    public async Task Twenty_orders_of_a_user_whose_balance_covers_seven_end_seven_paid_thirteen_failed_and_balance_zero(int batchSize)
    {
        using var probe = new MessagingProbe();
        var user = await system.NewUserWithBalanceAsync(70);
        var fault = GatedFault();
        var orders = await QueueOrdersWhilePaymentsIsDownAsync(user, count: 20, amount: 10);
        await StartGatedPaymentsAsync(fault, batchSize, probe, backlog: 20);

        var finals = await Task.WhenAll(orders.Select(id => system.Client.WaitForFinalStatusAsync(user, id)));

        Assert.Equal(7, finals.Count(o => o.Status == "PAID"));
        Assert.Equal(13, finals.Count(o => o.Status == "FAILED" && o.Reason == PaymentFailureReasons.InsufficientFunds));
        Assert.Equal(0, (await system.Client.GetBalanceAsync(user)).Balance);
        Assert.Equal(7, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE user_id = $1 AND kind = 'charge'", user));
        // The batches were the configured ones: after the first, the buffered backlog in chunks of the batch size.
        var batches = fault.Batches.Select(b => b.Count).ToList();
        Assert.Equal(20, batches.Sum());
        Assert.Equal(Chunks(20 - batches[0], batchSize), batches.Skip(1));
    }

    [Fact]
    public async Task Duplicates_inside_a_batch_and_across_batches_are_applied_once()
    {
        using var probe = new MessagingProbe();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var user = await system.NewUserWithBalanceAsync(100);
        var fault = GatedFault();
        var duplicatesBefore = probe.Consumed(Queue, MessagingMetrics.OutcomeDuplicate);
        var orders = await QueueOrdersWhilePaymentsIsDownAsync(user, count: 3, amount: 10);
        var messages = await Task.WhenAll(orders.Select(OrderCreatedRowAsync));

        async Task RepeatAsync(params int[] indexes)
        {
            foreach (var index in indexes)
            {
                await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), messages[index].Payload,
                    messages[index].Id, orders[index]);
            }
        }

        // Behind the three originals: the first twice more and the second once more, with their own message ids.
        await RepeatAsync(0, 0, 1);
        await StartGatedPaymentsAsync(fault, batchSize: 64, probe, backlog: 6);

        foreach (var order in orders)
        {
            Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order)).Status);
        }
        await probe.WaitForConsumedAsync(Queue, MessagingMetrics.OutcomeDuplicate, duplicatesBefore + 3);
        Assert.Contains(fault.Batches, batch => batch.Count != batch.Distinct().Count());

        // A later batch repeats two of them again.
        await RepeatAsync(2, 0);
        await probe.WaitForConsumedAsync(Queue, MessagingMetrics.OutcomeDuplicate, duplicatesBefore + 5);

        Assert.Equal(70, (await system.Client.GetBalanceAsync(user)).Balance);
        foreach (var (order, message) in orders.Zip(messages))
        {
            Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", order));
            Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", message.Id));
        }
    }

    [Fact]
    public async Task A_refused_order_delivered_twice_in_one_batch_is_refused_once()
    {
        using var probe = new MessagingProbe();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var payer = await system.NewUserWithBalanceAsync(10);
        var broke = ShopSystem.NewUserId(); // no account: refused
        var fault = GatedFault();
        // The first unit of work takes the paid order; the refused one and its repeat wait behind it and arrive together.
        var paid = Assert.Single(await QueueOrdersWhilePaymentsIsDownAsync(payer, count: 1, amount: 10));
        var refused = (await system.Client.PlaceOrderAsync(broke, 10)).Id;
        var message = await OrderCreatedRowAsync(refused);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), message.Payload, message.Id, refused);
        await StartGatedPaymentsAsync(fault, batchSize: 64, probe, backlog: 3);

        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(payer, paid)).Status);
        Assert.Equal("FAILED", (await system.Client.WaitForFinalStatusAsync(broke, refused)).Status);
        await probe.WaitForDeliveriesAsync(message.Id, 2);
        Assert.Contains(fault.Batches, batch => batch.Count(id => id == message.Id) == 2);
        // A refusal writes no ledger entry, so only the inbox keeps the copy from the handler: one PaymentFailed, not two.
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1", refused));
    }

    [Fact]
    public async Task A_poison_message_inside_a_batch_is_dead_lettered_alone_with_its_reason_and_the_rest_applied_once()
    {
        using var probe = new MessagingProbe();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(DeadLetterQueue);
        var user = await system.NewUserWithBalanceAsync(50);
        var fault = GatedFault();
        var poison = Guid.NewGuid();
        var orders = await QueueOrdersWhilePaymentsIsDownAsync(user, count: 2, amount: 10);
        // Well-formed, so it passes decoding and reaches the handler inside the batch, which refuses it.
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated),
            $"{{\"orderId\":\"{Guid.NewGuid()}\",\"userId\":{user},\"amount\":-5}}", poison);
        orders.AddRange(await QueueOrdersWhilePaymentsIsDownAsync(user, count: 3, amount: 10, alreadyQueued: 3));
        await StartGatedPaymentsAsync(fault, batchSize: 64, probe, backlog: 6);

        await AssertEachPaidAndChargedOnceAsync(user, orders);
        await probe.WaitForConsumedAsync(Queue, MessagingMetrics.OutcomeDeadLettered, 1);
        var dead = Assert.Single(await broker.DrainAsync(DeadLetterQueue));
        Assert.Equal(poison.ToString(), dead.BasicProperties.MessageId);
        Assert.Contains("amount -5", RawBroker.Header(dead, MessageHeaders.DeathReason));
        Assert.Equal(0, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", poison));
        Assert.Equal(0, (await system.Client.GetBalanceAsync(user)).Balance);
        // It was refused inside a batch with the others, which then went one by one.
        Assert.Contains(fault.Batches, batch => batch.Contains(poison) && batch.Count > 1);
    }

    [Fact]
    public async Task A_lasting_failure_inside_a_batch_is_tried_MaxAttempts_times_alone_then_dead_lettered_and_the_rest_applied_once()
    {
        using var probe = new MessagingProbe();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(DeadLetterQueue);
        var user = await system.NewUserWithBalanceAsync(50);
        // Neither poison nor transient: PostgreSQL refuses the charge of the one order of 7, every time.
        await using var failing = await DatabaseFault.InstallAsync(system.PaymentsDb, "transactions",
            $"NEW.user_id = {user} AND NEW.kind = 'charge' AND NEW.amount = 7", DatabaseFault.Permanent);
        var fault = GatedFault();
        var orders = await QueueOrdersWhilePaymentsIsDownAsync(user, count: 2, amount: 10);
        var doomed = Assert.Single(await QueueOrdersWhilePaymentsIsDownAsync(user, count: 1, amount: 7, alreadyQueued: 2));
        orders.AddRange(await QueueOrdersWhilePaymentsIsDownAsync(user, count: 2, amount: 10, alreadyQueued: 3));
        var (doomedMessage, _) = await OrderCreatedRowAsync(doomed);
        await StartGatedPaymentsAsync(fault, batchSize: 64, probe, backlog: 5);
        var maxAttempts = system.Payments.Services.GetRequiredService<IOptions<MessagingOptions>>().Value.MaxAttempts;

        await AssertEachPaidAndChargedOnceAsync(user, orders);
        await probe.WaitForConsumedAsync(Queue, MessagingMetrics.OutcomeDeadLettered, 1);
        var dead = Assert.Single(await broker.DrainAsync(DeadLetterQueue));
        Assert.Equal(doomedMessage.ToString(), dead.BasicProperties.MessageId);
        Assert.Contains($"failed after {maxAttempts} attempts", RawBroker.Header(dead, MessageHeaders.DeathReason));
        // Tried once inside its batch, which then went one by one, and MaxAttempts times alone.
        Assert.Contains(fault.Batches, batch => batch.Contains(doomedMessage) && batch.Count > 1);
        Assert.Equal(maxAttempts + 1, await failing.HitsAsync());
        Assert.Equal("PENDING", (await system.Client.GetOrderAsync(user, doomed)).Status);
        Assert.Equal(10, (await system.Client.GetBalanceAsync(user)).Balance);
    }

    [Fact]
    public async Task A_batch_committed_and_never_acked_comes_again_and_applies_nothing_twice()
    {
        using var probe = new MessagingProbe();
        var user = await system.NewUserWithBalanceAsync(100);
        var fault = GatedFault(hangAfterCommitOfAtLeast: 2);
        var duplicatesBefore = probe.Consumed(Queue, MessagingMetrics.OutcomeDuplicate);
        var orders = await QueueOrdersWhilePaymentsIsDownAsync(user, count: 4, amount: 10);
        await StartGatedPaymentsAsync(fault, batchSize: 64, probe, backlog: 4);
        var committed = await fault.Committed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var hung = fault.Batches.First(batch => batch.Contains(committed.MessageId));
        Assert.True(hung.Count >= 2, $"the batch that committed and hung holds {hung.Count} messages");

        // The consumer dies before its ack: a healthy instance receives the batch again.
        await system.ReplacePaymentsAsync();

        await probe.WaitForConsumedAsync(Queue, MessagingMetrics.OutcomeDuplicate, duplicatesBefore + hung.Count);
        await AssertEachPaidAndChargedOnceAsync(user, orders);
        Assert.Equal(60, (await system.Client.GetBalanceAsync(user)).Balance);
        foreach (var messageId in hung)
        {
            Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", messageId));
        }
    }

    [Fact]
    public async Task Two_undecodable_deliveries_in_one_batch_are_both_dead_lettered_and_acked()
    {
        using var probe = new MessagingProbe();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(DeadLetterQueue);
        var user = await system.NewUserWithBalanceAsync(10);
        var fault = GatedFault();
        var held = await StartPaymentsHoldingOneOrderAsync(user, fault, probe);
        var badJson = Guid.NewGuid();
        var unknownType = Guid.NewGuid();
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), "{\"orderId\": not json", badJson);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", "OrderShipped", "{}", unknownType);
        // Both wait in the buffer of the one worker, which takes them as its next batch.
        await OpenGateOnceBufferedAsync(fault, probe, 2);

        await PoisonTests.AssertDeadLetteredAsync(broker, Queue,
            (badJson, "not a valid OrderCreated"), (unknownType, "unknown message type 'OrderShipped'"));
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, held)).Status);
        await probe.WaitForDeliveryAsync((await OrderCreatedRowAsync(held)).Id);
        await probe.WaitForConsumedAsync(Queue, MessagingMetrics.OutcomeDeadLettered, 2);

        // Closing the consumer's channel puts back on the queue whatever it left unacked: there must be nothing.
        await system.Payments.StopAsync();
        // The consumer's leaving and the return of its unacked deliveries are one step for the broker, so this count is exact.
        var queue = await Eventually.UntilAsync(() => broker.Channel.QueueDeclarePassiveAsync(Queue), q => q.ConsumerCount == 0,
            $"no consumer left on {Queue}");
        Assert.Equal(0u, queue.MessageCount);
    }

    [Fact]
    public async Task A_batch_applied_one_by_one_after_a_poison_message_is_not_applied_again()
    {
        using var probe = new MessagingProbe();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(DeadLetterQueue);
        var user = await system.NewUserWithBalanceAsync(30);
        var fault = GatedFault();
        List<Guid> orders = [await StartPaymentsHoldingOneOrderAsync(user, fault, probe)];
        var poison = Guid.NewGuid();
        // Behind the held order, in this order: an order, the poison, another order. A good message leads the batch.
        orders.Add((await system.Client.PlaceOrderAsync(user, 10)).Id);
        await probe.WaitForBufferedAsync(Queue, 1);
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated),
            $"{{\"orderId\":\"{Guid.NewGuid()}\",\"userId\":{user},\"amount\":-5}}", poison);
        await probe.WaitForBufferedAsync(Queue, 2);
        orders.Add((await system.Client.PlaceOrderAsync(user, 10)).Id);
        await OpenGateOnceBufferedAsync(fault, probe, 3);

        await AssertEachPaidAndChargedOnceAsync(user, orders);
        await probe.WaitForConsumedAsync(Queue, MessagingMetrics.OutcomeDeadLettered, 1);
        Assert.Contains(fault.Batches, batch => batch.Count == 3 && batch[1] == poison);
        // A delivery's span ends when its whole batch is done, with the last outcome the handler gave it: applied, never a duplicate.
        foreach (var order in orders)
        {
            var delivery = await probe.WaitForDeliveryAsync((await OrderCreatedRowAsync(order)).Id);
            Assert.Equal(MessagingMetrics.OutcomeApplied, delivery.Outcome);
        }
        Assert.Equal(0, probe.Consumed(Queue, MessagingMetrics.OutcomeDuplicate));
        var dead = Assert.Single(await broker.DrainAsync(DeadLetterQueue));
        Assert.Equal(poison.ToString(), dead.BasicProperties.MessageId);
    }

    /// <summary>Stops Payments and places orders, whose OrderCreated then wait in its queue.</summary>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Each test starts a Payments with a fault injected; a healthy one takes its place after the test, passed or not.</summary>
    public Task DisposeAsync() => system.ReplacePaymentsAsync();

    /// <summary>A fault whose gate holds every unit of work until the test's backlog sits in the consumer.</summary>
    private static InboxFault GatedFault(int hangAfterCommitOfAtLeast = int.MaxValue) =>
        new() { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously), HangAfterCommitOfAtLeast = hangAfterCommitOfAtLeast };

    private async Task AssertEachPaidAndChargedOnceAsync(long user, IEnumerable<Guid> orders)
    {
        foreach (var order in orders)
        {
            Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order)).Status);
            Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", order));
        }
    }

    private async Task<List<Guid>> QueueOrdersWhilePaymentsIsDownAsync(long user, int count, long amount, int alreadyQueued = 0)
    {
        await system.Payments.StopAsync();
        var orders = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            orders.Add((await system.Client.PlaceOrderAsync(user, amount)).Id);
        }
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await Eventually.UntilAsync(() => broker.Channel.MessageCountAsync(Queue), n => n == alreadyQueued + count,
            $"{alreadyQueued + count} OrderCreated waiting in {Queue}");
        return orders;
    }

    /// <summary>Starts Payments with one consumer worker whose first unit of work waits until the rest of the backlog is buffered.</summary>
    /// <param name="openGate">False leaves the first unit of work at the gate, for the test to queue more behind it.</param>
    private async Task StartGatedPaymentsAsync(InboxFault fault, int batchSize, MessagingProbe probe, int backlog, bool openGate = true)
    {
        await system.ReplacePaymentsAsync(services =>
        {
            FaultInjection.Inbox<PaymentsDbContext>(fault)(services);
            services.Configure<MessagingOptions>(options =>
            {
                options.BatchSize = batchSize;
                options.ConsumerConcurrency = 1;
            });
        });
        await fault.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var first = fault.Batches.First().Count;
        await probe.WaitForBufferedAsync(Queue, backlog - first);
        if (openGate)
        {
            fault.Gate!.SetResult();
        }
    }

    /// <summary>
    /// Queues one order while Payments is down and starts a gated Payments whose one worker holds that order alone at the
    /// gate; whatever the test sends next waits in the consumer's buffer, in the order sent.
    /// </summary>
    private async Task<Guid> StartPaymentsHoldingOneOrderAsync(long user, InboxFault fault, MessagingProbe probe)
    {
        var held = Assert.Single(await QueueOrdersWhilePaymentsIsDownAsync(user, count: 1, amount: 10));
        await StartGatedPaymentsAsync(fault, batchSize: 64, probe, backlog: 1, openGate: false);
        return held;
    }

    /// <summary>Opens the gate once <paramref name="count"/> deliveries wait behind it: the worker's next batch is exactly those.</summary>
    private static async Task OpenGateOnceBufferedAsync(InboxFault fault, MessagingProbe probe, int count)
    {
        await probe.WaitForBufferedAsync(Queue, count);
        fault.Gate!.SetResult();
    }

    private Task<(Guid Id, string Payload)> OrderCreatedRowAsync(Guid orderId) => system.OrdersOutboxRowAsync(orderId, nameof(OrderCreated));

    private static IEnumerable<int> Chunks(int total, int size)
    {
        for (; total > 0; total -= size)
        {
            yield return Math.Min(size, total);
        }
    }
}
