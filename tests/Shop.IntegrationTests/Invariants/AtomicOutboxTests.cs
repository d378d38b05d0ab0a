namespace Shop.IntegrationTests.Invariants;

/// <summary>
/// A state change and the event it causes commit together, or neither does. The failures are raised by PostgreSQL
/// (<see cref="DatabaseFault"/>) inside the handlers' own writes, so the tests hold whatever code writes the rows.
/// Invariant I1 of docs/architecture.md.
/// </summary>
public sealed class AtomicOutboxTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task Created_order_and_its_OrderCreated_row_commit_together()
    {
        var user = ShopSystem.NewUserId();

        var order = await system.Client.PlaceOrderAsync(user, 42);

        Assert.Equal(1, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE id = $1", order.Id));
        Assert.Equal(1, await system.OrdersDb.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE correlation_id = $1 AND type = 'OrderCreated' AND (payload->>'amount')::bigint = 42", order.Id));
    }

    [Fact]
    public async Task Unit_of_work_that_fails_before_commit_leaves_neither_the_order_nor_its_event()
    {
        var orderId = Guid.CreateVersion7();
        await using (var scope = system.Orders.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Orders.Add(new Order { Id = orderId, UserId = ShopSystem.NewUserId(), Amount = 5, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            outbox.Enqueue(new OrderCreated(orderId, 1, 5));
            await db.SaveChangesAsync();
            // The process dies here: the transaction never commits.
        }

        Assert.Equal(0, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE id = $1", orderId));
        Assert.Equal(0, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1", orderId));
    }

    [Fact]
    public async Task Every_order_of_a_user_has_exactly_one_OrderCreated_even_when_requests_are_refused()
    {
        var user = ShopSystem.NewUserId();
        await system.Client.PlaceOrderAsync(user, 10, idempotencyKey: "k-1");
        await system.Client.PlaceOrderAsync(user, 10, idempotencyKey: "k-1");
        using var conflicting = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":11}", "k-1");
        using var invalid = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":0}");
        await system.Client.PlaceOrderAsync(user, 12);

        var orders = await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user);
        var events = await system.OrdersDb.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE type = 'OrderCreated' AND (payload->>'userId')::bigint = $1", user);
        Assert.Equal(2, orders);
        Assert.Equal(orders, events);
    }

    [Fact]
    public async Task An_order_whose_OrderCreated_row_cannot_be_written_is_not_created()
    {
        var user = ShopSystem.NewUserId();
        await using var fault = await DatabaseFault.InstallAsync(system.OrdersDb, "outbox_messages",
            $"(NEW.payload->>'userId')::bigint = {user}", DatabaseFault.Permanent);

        using var refused = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":42}");

        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal(1, await fault.HitsAsync());
        Assert.Equal(0, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user));
        await fault.RemoveAsync();
        var order = await system.Client.PlaceOrderAsync(user, 42);
        Assert.Equal(1, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user));
        Assert.Equal(1, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1", order.Id));
    }

    [Fact]
    public async Task No_OrderCreated_row_is_written_for_an_order_that_cannot_be()
    {
        var user = ShopSystem.NewUserId();
        await using var fault = await DatabaseFault.InstallAsync(system.OrdersDb, "orders", $"NEW.user_id = {user}", DatabaseFault.Permanent);

        using var refused = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":43}");

        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal(1, await fault.HitsAsync());
        Assert.Equal(0, await system.OrdersDb.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE (payload->>'userId')::bigint = $1", user));
    }

    [Fact]
    public async Task A_charge_and_its_payment_result_commit_together_or_not_at_all()
    {
        var user = await system.NewUserWithBalanceAsync(100);
        // Payments' PaymentCompleted row fails (transiently, so the consumer retries): the debit and the charge must not stay.
        await using var fault = await DatabaseFault.InstallAsync(system.PaymentsDb, "outbox_messages", $"(NEW.payload->>'userId')::bigint = {user}");

        var order = await system.Client.PlaceOrderAsync(user, 40);
        await fault.WaitForHitsAsync(3);

        Assert.Equal(100, (await system.Client.GetBalanceAsync(user)).Balance);
        Assert.Equal(0, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", order.Id));
        Assert.Equal(0, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", await OutboxIdAsync(order.Id, "OrderCreated")));
        Assert.Equal("PENDING", (await system.Client.GetOrderAsync(user, order.Id)).Status);

        await fault.RemoveAsync();
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
        Assert.Equal(60, (await system.Client.GetBalanceAsync(user)).Balance);
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", order.Id));
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE correlation_id = $1 AND type = 'PaymentCompleted'", order.Id));
    }

    [Fact]
    public async Task An_order_status_and_its_OrderStatusChanged_row_commit_together_or_not_at_all()
    {
        var user = await system.NewUserWithBalanceAsync(100);
        await using var fault = await DatabaseFault.InstallAsync(system.OrdersDb, "outbox_messages",
            $"NEW.type = 'OrderStatusChanged' AND (NEW.payload->>'userId')::bigint = {user}");

        var order = await system.Client.PlaceOrderAsync(user, 30);
        await fault.WaitForHitsAsync(3);

        Assert.Equal("PENDING", (await system.Client.GetOrderAsync(user, order.Id)).Status);
        Assert.Equal(0, await system.OrdersDb.ScalarAsync(
            "SELECT count(*) FROM inbox_messages WHERE message_id = $1", await PaymentResultIdAsync(order.Id)));

        await fault.RemoveAsync();
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
        Assert.Equal(1, await system.OrdersDb.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE correlation_id = $1 AND type = 'OrderStatusChanged'", order.Id));
        Assert.Equal(70, (await system.Client.GetBalanceAsync(user)).Balance);
    }

    private async Task<Guid> OutboxIdAsync(Guid orderId, string type) =>
        (await system.OrdersDb.QueryAsync("SELECT id FROM outbox_messages WHERE correlation_id = $1 AND type = $2", r => r.GetGuid(0), orderId, type)).Single();

    private async Task<Guid> PaymentResultIdAsync(Guid orderId) =>
        (await system.PaymentsDb.QueryAsync("SELECT id FROM outbox_messages WHERE correlation_id = $1", r => r.GetGuid(0), orderId)).Single();
}
