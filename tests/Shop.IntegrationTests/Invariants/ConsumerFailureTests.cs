using Microsoft.Extensions.Options;
using Shop.IntegrationTests.Observability;

namespace Shop.IntegrationTests.Invariants;

/// <summary>
/// What a consumer does with a failure it cannot wait out, with poison on the Orders side, with two deliveries of one
/// message at once, and what a rolled-back attempt leaves behind (nothing, not even its count). Failures are raised by PostgreSQL inside the handlers' writes (<see cref="DatabaseFault"/>).
/// Invariants I7, I9 and I10 of docs/architecture.md.
/// </summary>
public sealed class ConsumerFailureTests(ShopSystem system) : ShopTests
{
    private const string OrderCreatedDlq = ShopTopology.PaymentsOrderCreatedQueue + ShopTopology.DeadLetterSuffix;
    private const string PaymentResultsDlq = ShopTopology.OrdersPaymentResultsQueue + ShopTopology.DeadLetterSuffix;

    [Fact]
    public async Task A_failure_that_is_not_transient_is_tried_MaxAttempts_times_then_dead_lettered_with_its_reason()
    {
        using var probe = new MessagingProbe();
        var maxAttempts = system.Payments.Services.GetRequiredService<IOptions<MessagingOptions>>().Value.MaxAttempts;
        var user = await system.NewUserWithBalanceAsync(100);
        await using var fault = await DatabaseFault.InstallAsync(system.PaymentsDb, "transactions",
            $"NEW.user_id = {user} AND NEW.kind = 'charge'", DatabaseFault.Permanent);

        var order = await system.Client.PlaceOrderAsync(user, 40);
        var messageId = await OrderCreatedIdAsync(order.Id);
        var delivery = await probe.WaitForDeliveryAsync(messageId, TimeSpan.FromSeconds(30));

        Assert.Equal((MessagingMetrics.OutcomeDeadLettered, maxAttempts), (delivery.Outcome, delivery.FailedAttempts));
        Assert.Equal(maxAttempts, await fault.HitsAsync());
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var dead = Assert.Single(await broker.DrainAsync(OrderCreatedDlq), m => m.BasicProperties.MessageId == messageId.ToString());
        var reason = RawBroker.Header(dead, MessageHeaders.DeathReason);
        Assert.Contains($"failed after {maxAttempts} attempts", reason);
        Assert.Equal(ShopTopology.PaymentsOrderCreatedQueue, RawBroker.Header(dead, MessageHeaders.OriginalQueue));
        Assert.Equal(100, (await system.Client.GetBalanceAsync(user)).Balance);
        Assert.Equal(0, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", messageId));
        Assert.Equal("PENDING", (await system.Client.GetOrderAsync(user, order.Id)).Status);

        // Once the cause is gone, replaying the dead letter (as `dlq replay` does) completes the order, once.
        await fault.RemoveAsync();
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), dead.Body.ToArray(), messageId, order.Id);
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
        Assert.Equal(60, (await system.Client.GetBalanceAsync(user)).Balance);
    }

    [Fact]
    public async Task A_transient_failure_at_commit_after_all_the_work_is_retried_and_applied_once()
    {
        using var probe = new MessagingProbe();
        var user = await system.NewUserWithBalanceAsync(10);
        // Raised when the charge's transaction commits: the debit, the charge and PaymentCompleted were all written by then.
        await using var fault = await DatabaseFault.InstallAsync(system.PaymentsDb, "transactions",
            $"NEW.user_id = {user} AND NEW.kind = 'charge'", atCommit: true, times: 3);

        var order = await system.Client.PlaceOrderAsync(user, 10);

        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
        Assert.Equal(3, await fault.HitsAsync());
        var delivery = await probe.WaitForDeliveryAsync(await OrderCreatedIdAsync(order.Id));
        Assert.Equal((MessagingMetrics.OutcomeApplied, 3), (delivery.Outcome, delivery.FailedAttempts));
        Assert.Equal(0, (await system.Client.GetBalanceAsync(user)).Balance);
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE user_id = $1 AND kind = 'charge'", user));
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1", order.Id));
    }

    [Fact]
    public async Task A_payment_result_whose_commit_fails_twice_completes_the_order_once_and_counts_it_once()
    {
        using var probe = new MessagingProbe();
        using var metrics = new MetricsRecorder();
        var user = await system.NewUserWithBalanceAsync(10);
        // Raised when Orders commits the order's completion: the attempts before it registered their count, then rolled back.
        await using var fault = await DatabaseFault.InstallAsync(system.OrdersDb, "orders",
            $"NEW.user_id = {user} AND NEW.status = 'PAID'", events: "UPDATE", atCommit: true, times: 2);

        var order = await system.Client.PlaceOrderAsync(user, 10);

        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
        var result = (await system.PaymentsDb.QueryAsync("SELECT id FROM outbox_messages WHERE correlation_id = $1 AND type = 'PaymentCompleted'",
            r => r.GetGuid(0), order.Id)).Single();
        var delivery = await probe.WaitForDeliveryAsync(result);
        Assert.Equal((MessagingMetrics.OutcomeApplied, 2), (delivery.Outcome, delivery.FailedAttempts));
        Assert.Equal(2, await fault.HitsAsync());
        // The completion is counted by the attempt that committed, not by the two rolled back before it.
        Assert.Single(metrics.Values("shop.orders.completion.duration", "status=PAID"));
    }

    [Fact]
    public async Task Two_deliveries_of_one_message_in_flight_at_once_apply_it_once()
    {
        using var probe = new MessagingProbe();
        var user = await system.NewUserWithBalanceAsync(100);
        var order = (OrderDto?)null;
        var messageId = Guid.Empty;

        await using (var hold = await HoldAccountAsync(user))
        {
            // The first delivery takes its inbox key, then waits for the account row this test holds.
            order = await system.Client.PlaceOrderAsync(user, 30);
            messageId = await OrderCreatedIdAsync(order.Id);
            await WaitForLockWaitersAsync(1);
            // The broker delivers the same message again while the first is still in its transaction: it waits on the inbox key.
            var payload = (await system.OrdersDb.QueryAsync("SELECT payload::text FROM outbox_messages WHERE id = $1", r => r.GetString(0), messageId)).Single();
            await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
            await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), payload, messageId, order.Id);
            await WaitForLockWaitersAsync(2);
        }

        var deliveries = await probe.WaitForDeliveriesAsync(messageId, 2);
        Assert.Equal([MessagingMetrics.OutcomeApplied, MessagingMetrics.OutcomeDuplicate], deliveries.Select(d => d.Outcome).Order());
        // The duplicate is absorbed by the inbox key on its first attempt, not by a unique violation and a retry.
        Assert.All(deliveries, d => Assert.Equal(0, d.FailedAttempts));
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
        Assert.Equal(70, (await system.Client.GetBalanceAsync(user)).Balance);
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", order.Id));
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", messageId));
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1", order.Id));
    }

    [Fact]
    public async Task Poison_on_the_payment_results_queue_lands_in_its_DLQ_with_the_reason_and_the_consumer_goes_on()
    {
        var (user, paid) = await system.PlacePaidOrderAsync(50, 20);
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(PaymentResultsDlq);
        var badJson = Guid.NewGuid();
        var unknownType = Guid.NewGuid();
        var unknownOrder = Guid.NewGuid();
        var wrongAmount = Guid.NewGuid();
        var missingOrder = Guid.NewGuid();

        await broker.PublishAsync(ShopTopology.PaymentsExchange, "payment.completed", nameof(PaymentCompleted), "{\"orderId\":", badJson);
        await broker.PublishAsync(ShopTopology.PaymentsExchange, "payment.completed", "PaymentRefunded", "{}", unknownType);
        await broker.PublishAsync(ShopTopology.PaymentsExchange, "payment.completed", nameof(PaymentCompleted),
            $"{{\"orderId\":\"{missingOrder}\",\"userId\":{user},\"amount\":20}}", unknownOrder, missingOrder);
        await broker.PublishAsync(ShopTopology.PaymentsExchange, "payment.failed", nameof(PaymentFailed),
            $"{{\"orderId\":\"{paid.Id}\",\"userId\":{user},\"amount\":21,\"reason\":\"insufficient_funds\"}}", wrongAmount, paid.Id);
        await PoisonTests.AssertDeadLetteredAsync(broker, ShopTopology.OrdersPaymentResultsQueue,
            (badJson, "not a valid PaymentCompleted"), (unknownType, "unknown message type 'PaymentRefunded'"),
            (unknownOrder, $"order {missingOrder} does not exist"), (wrongAmount, "amount 21"));
        // Nothing of the poison was applied, and the consumer goes on.
        Assert.Equal(0, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = ANY($1)",
            new[] { badJson, unknownType, unknownOrder, wrongAmount }));
        Assert.Equal("PAID", (await system.Client.GetOrderAsync(user, paid.Id)).Status);
        var next = await system.Client.PlaceOrderAsync(user, 30);
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, next.Id)).Status);
    }

    private async Task<Guid> OrderCreatedIdAsync(Guid orderId) =>
        (await system.OrdersDb.QueryAsync("SELECT id FROM outbox_messages WHERE correlation_id = $1 AND type = 'OrderCreated'", r => r.GetGuid(0), orderId)).Single();

    /// <summary>Sessions of the Payments database waiting for a lock: here, the consumers' deliveries this test holds up.</summary>
    private Task WaitForLockWaitersAsync(int count) =>
        Eventually.UntilAsync(
            () => system.PaymentsDb.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"),
            n => n >= count, $"{count} deliveries waiting for a lock");

    /// <summary>Locks the user's account row, as a long charge of the same user would, until disposed.</summary>
    private async Task<AccountHold> HoldAccountAsync(long user)
    {
        var connection = await system.PaymentsDb.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SELECT balance FROM accounts WHERE user_id = $1 FOR UPDATE", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        await command.ExecuteScalarAsync();
        return new AccountHold(connection, transaction);
    }

    private sealed class AccountHold(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        }
    }
}
