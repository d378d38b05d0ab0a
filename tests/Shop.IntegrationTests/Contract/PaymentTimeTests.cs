namespace Shop.IntegrationTests.Contract;

/// <summary>An order read over REST says when Payments charged or refused it (<c>paymentAt</c>), the page's timeline.</summary>
public sealed class PaymentTimeTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task Paid_and_failed_orders_carry_a_payment_time_between_creation_and_final_status()
    {
        var user = await system.NewUserWithBalanceAsync(100);

        var paid = await system.Client.WaitForFinalStatusAsync(user, (await system.Client.PlaceOrderAsync(user, 60)).Id);
        var failed = await system.Client.WaitForFinalStatusAsync(user, (await system.Client.PlaceOrderAsync(user, 60)).Id);
        var listed = await system.Client.ListOrdersAsync(user);

        Assert.Equal(("PAID", "FAILED"), (paid.Status, failed.Status));
        foreach (var order in new[] { paid, failed })
        {
            Assert.NotNull(order.PaymentAt);
            Assert.InRange(order.PaymentAt.Value, order.CreatedAt, order.UpdatedAt);
        }
        Assert.Equal([failed.PaymentAt, paid.PaymentAt], listed.Select(o => o.PaymentAt));
    }

    [Fact]
    public async Task A_pending_order_has_paymentAt_null()
    {
        var user = ShopSystem.NewUserId();

        using var created = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":5}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        Assert.Equal("PENDING", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("paymentAt").ValueKind);
    }

    [Fact]
    public async Task A_payment_result_sent_without_decidedAt_still_completes_the_order_with_paymentAt_null()
    {
        var user = ShopSystem.NewUserId();
        var orderId = Guid.CreateVersion7();
        // An order whose OrderCreated never left: only the forged result below can complete it.
        await system.OrdersDb.ExecuteAsync(
            "INSERT INTO orders (id, user_id, amount, status, created_at, updated_at) VALUES ($1, $2, 20, 'PENDING', now(), now())", orderId, user);
        Assert.Null((await system.Client.GetOrderAsync(user, orderId)).PaymentAt);

        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.PublishAsync(ShopTopology.PaymentsExchange, "payment.failed", nameof(PaymentFailed),
            $"{{\"orderId\":\"{orderId}\",\"userId\":{user},\"amount\":20,\"reason\":\"insufficient_funds\"}}", correlationId: orderId);

        var failed = await system.Client.WaitForFinalStatusAsync(user, orderId);
        Assert.Equal("FAILED", failed.Status);
        Assert.Null(failed.PaymentAt);
    }
}
