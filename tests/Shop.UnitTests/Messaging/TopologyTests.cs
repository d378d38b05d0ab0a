using Shop.Messaging.Inbox;

namespace Shop.UnitTests.Messaging;

public sealed class TopologyTests
{
    [Fact]
    public void Every_event_has_one_exchange_and_routing_key()
    {
        Assert.Equal(ShopTopology.Events.Count, ShopTopology.Events.Select(e => (e.Exchange, e.RoutingKey)).Distinct().Count());
        Assert.Equal(ShopTopology.Events.Count, ShopTopology.Events.Select(e => e.TypeName).Distinct().Count());
    }

    [Fact]
    public void Consumers_are_bound_to_the_queue_their_event_is_routed_to()
    {
        Assert.Equal(ShopTopology.PaymentsOrderCreatedQueue, ConsumerRegistration.For<OrderCreated, NoOpHandler>(ShopEvents.Contract).Queue);
        Assert.Equal(ShopTopology.OrdersPaymentResultsQueue, ConsumerRegistration.For<PaymentCompleted, NoOpHandler>(ShopEvents.Contract).Queue);
        Assert.Equal(ShopTopology.OrdersPaymentResultsQueue, ConsumerRegistration.For<PaymentFailed, NoOpHandler>(ShopEvents.Contract).Queue);
    }

    [Fact]
    public void An_event_no_durable_queue_receives_cannot_get_a_consumer()
    {
        Assert.Throws<InvalidOperationException>(() => ConsumerRegistration.For<OrderStatusChanged, NoOpHandler>(ShopEvents.Contract));
    }

    [Fact]
    public void Registering_two_handlers_for_one_event_on_one_queue_fails()
    {
        var registry = new ConsumerRegistry();
        registry.Add(ConsumerRegistration.For<OrderCreated, NoOpHandler>(ShopEvents.Contract));

        Assert.Throws<InvalidOperationException>(() => registry.Add(ConsumerRegistration.For<OrderCreated, NoOpHandler>(ShopEvents.Contract)));
    }

    [Fact]
    public void Event_is_read_back_from_its_wire_form()
    {
        var registration = ConsumerRegistration.For<PaymentFailed, NoOpHandler>(ShopEvents.Contract);

        var message = registration.Deserialize("{\"orderId\":\"6f1c1d2e-0000-4000-8000-000000000001\",\"userId\":7,\"amount\":5,\"reason\":\"insufficient_funds\"}"u8);

        Assert.Equal(new PaymentFailed(Guid.Parse("6f1c1d2e-0000-4000-8000-000000000001"), 7, 5, "insufficient_funds"), message);
    }

    [Fact]
    public void Payment_result_carries_its_decision_time_and_one_sent_without_it_reads_with_none()
    {
        var sent = new PaymentCompleted(Guid.Parse("6f1c1d2e-0000-4000-8000-000000000002"), 7, 5, new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        var registration = ConsumerRegistration.For<PaymentCompleted, NoOpHandler>(ShopEvents.Contract);

        var received = registration.Deserialize(JsonSerializer.SerializeToUtf8Bytes(sent, ContractsJson.Default.PaymentCompleted));
        var older = (PaymentCompleted)registration.Deserialize("{\"orderId\":\"6f1c1d2e-0000-4000-8000-000000000002\",\"userId\":7,\"amount\":5}"u8)!;

        Assert.Equal(sent, received);
        Assert.Null(older.DecidedAt);
    }

    private sealed class NoOpHandler : Shop.Messaging.IMessageHandler<OrderCreated>, Shop.Messaging.IMessageHandler<PaymentCompleted>,
        Shop.Messaging.IMessageHandler<PaymentFailed>, Shop.Messaging.IMessageHandler<OrderStatusChanged>
    {
        public Task HandleAsync(OrderCreated message, Shop.Messaging.MessageContext context, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task HandleAsync(PaymentCompleted message, Shop.Messaging.MessageContext context, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task HandleAsync(PaymentFailed message, Shop.Messaging.MessageContext context, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task HandleAsync(OrderStatusChanged message, Shop.Messaging.MessageContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
