using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.IntegrationTests.Infrastructure;
using Shop.Messaging.Outbox;
using Shop.Orders.Data;
using Shop.Orders.Domain;

namespace Shop.IntegrationTests.Invariants;

/// <summary>DESIGN §6.1: a state change and the event it causes commit together, or neither does.</summary>
[Collection(ShopCollection.Name)]
public sealed class AtomicOutboxTests(ShopSystem system)
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
}
