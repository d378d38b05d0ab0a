using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Shop.Messaging.Inbox;
using Shop.Orders.Data;

namespace Shop.UnitTests.Messaging;

/// <summary>
/// How a consumer's registration hands the messages of its type to the handler (one at a time, or a batch at once), how
/// the registry finds a delivery's registration by its queue and type, and what <see cref="MessagingBuilder"/> registers.
/// </summary>
public sealed class ConsumerRegistrationTests
{
    [Fact]
    public async Task A_handler_of_one_message_at_a_time_gets_each_in_delivery_order_under_its_messages_span_or_else_the_current_one()
    {
        var handler = new OneAtATime();
        using var services = new ServiceCollection().AddSingleton(handler).BuildServiceProvider();
        var registration = ConsumerRegistration.For<OrderCreated, OneAtATime>(ShopEvents.Contract);
        using var batch = new Activity("batch").Start();
        using var firstSpan = new Activity("first").Start();
        using var thirdSpan = new Activity("third").Start();
        Activity.Current = batch;
        // The second message has no span of its own (nothing listened when it arrived): it runs under the batch's.
        InboxItem[] items = [Item(registration, firstSpan), Item(registration, null), Item(registration, thirdSpan)];

        await registration.DispatchAsync(services, items, CancellationToken.None);

        Assert.Equal(items.Select(i => ((OrderCreated)i.Message, i.Context)), handler.Calls.Select(c => (c.Message, c.Context)));
        Assert.Equal([firstSpan, batch, thirdSpan], handler.Calls.Select(c => c.Current));
    }

    [Fact]
    public async Task A_batch_handler_gets_the_messages_at_once_in_delivery_order_each_with_its_context()
    {
        var handler = new AllAtOnce();
        using var services = new ServiceCollection().AddSingleton(handler).BuildServiceProvider();
        var registration = ConsumerRegistration.ForBatch<OrderCreated, AllAtOnce>(ShopEvents.Contract);
        InboxItem[] items = [Item(registration, null), Item(registration, null), Item(registration, null)];

        await registration.DispatchAsync(services, items, CancellationToken.None);

        var call = Assert.Single(handler.Calls);
        Assert.Equal(items.Select(i => new IncomingMessage<OrderCreated>((OrderCreated)i.Message, i.Context)), call);
    }

    [Fact]
    public void The_registry_finds_a_registration_by_its_queue_and_type_and_names_each_queue_once()
    {
        var registry = new ConsumerRegistry();
        var completed = ConsumerRegistration.ForBatch<PaymentCompleted, AllAtOnce>(ShopEvents.Contract);
        var failed = ConsumerRegistration.ForBatch<PaymentFailed, AllAtOnce>(ShopEvents.Contract);
        var created = ConsumerRegistration.For<OrderCreated, OneAtATime>(ShopEvents.Contract);

        // Two event types on one queue, as Orders has them.
        registry.Add(completed);
        registry.Add(failed);
        registry.Add(created);

        Assert.Equal([ShopTopology.OrdersPaymentResultsQueue, ShopTopology.PaymentsOrderCreatedQueue], registry.Queues);
        Assert.Same(completed, registry.Find(ShopTopology.OrdersPaymentResultsQueue, nameof(PaymentCompleted)));
        Assert.Same(failed, registry.Find(ShopTopology.OrdersPaymentResultsQueue, nameof(PaymentFailed)));
        Assert.Same(created, registry.Find(ShopTopology.PaymentsOrderCreatedQueue, nameof(OrderCreated)));
        // A type this queue does not take, and a delivery that names no type.
        Assert.Null(registry.Find(ShopTopology.PaymentsOrderCreatedQueue, nameof(PaymentFailed)));
        Assert.Null(registry.Find(ShopTopology.OrdersPaymentResultsQueue, null));
        var twice = Assert.Throws<InvalidOperationException>(() => registry.Add(ConsumerRegistration.ForBatch<PaymentFailed, AllAtOnce>(ShopEvents.Contract)));
        Assert.Equal($"PaymentFailed already has a handler on {ShopTopology.OrdersPaymentResultsQueue}.", twice.Message);
    }

    [Fact]
    public void The_builder_registers_each_consumer_on_its_queue_and_its_handler_once_per_scope()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/" });

        var messaging = builder.AddMessaging<OrdersDbContext>("rabbitmq", "test", ShopEvents.Contract)
            .AddConsumer<OrderCreated, OneAtATime>()
            .AddBatchConsumer<PaymentFailed, AllAtOnce>();

        Assert.Same(builder, messaging.Builder);
        using var provider = builder.Services.BuildServiceProvider();
        var registry = provider.GetRequiredService<ConsumerRegistry>();
        Assert.Equal([ShopTopology.PaymentsOrderCreatedQueue, ShopTopology.OrdersPaymentResultsQueue], registry.Queues);
        Assert.NotNull(registry.Find(ShopTopology.PaymentsOrderCreatedQueue, nameof(OrderCreated)));
        Assert.NotNull(registry.Find(ShopTopology.OrdersPaymentResultsQueue, nameof(PaymentFailed)));
        using var first = provider.CreateScope();
        using var second = provider.CreateScope();
        Assert.Same(first.ServiceProvider.GetRequiredService<OneAtATime>(), first.ServiceProvider.GetRequiredService<OneAtATime>());
        Assert.NotSame(first.ServiceProvider.GetRequiredService<OneAtATime>(), second.ServiceProvider.GetRequiredService<OneAtATime>());
        Assert.NotSame(first.ServiceProvider.GetRequiredService<AllAtOnce>(), second.ServiceProvider.GetRequiredService<AllAtOnce>());
    }

    private static InboxItem Item(ConsumerRegistration registration, Activity? span)
    {
        var orderId = Guid.NewGuid();
        var context = new MessageContext(Guid.NewGuid(), nameof(OrderCreated), registration.Queue, Redelivered: false, span?.Id) { Activity = span };
        return new InboxItem(registration, new OrderCreated(orderId, 7, 10), context);
    }

    private sealed class OneAtATime : IMessageHandler<OrderCreated>
    {
        public List<(OrderCreated Message, MessageContext Context, Activity? Current)> Calls { get; } = [];

        public Task HandleAsync(OrderCreated message, MessageContext context, CancellationToken cancellationToken)
        {
            Calls.Add((message, context, Activity.Current));
            return Task.CompletedTask;
        }
    }

    private sealed class AllAtOnce : IMessageBatchHandler<OrderCreated>, IMessageBatchHandler<PaymentCompleted>, IMessageBatchHandler<PaymentFailed>
    {
        public List<IReadOnlyList<IncomingMessage<OrderCreated>>> Calls { get; } = [];

        public Task HandleAsync(IReadOnlyList<IncomingMessage<OrderCreated>> messages, CancellationToken cancellationToken)
        {
            Calls.Add([.. messages]);
            return Task.CompletedTask;
        }

        public Task HandleAsync(IReadOnlyList<IncomingMessage<PaymentCompleted>> messages, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task HandleAsync(IReadOnlyList<IncomingMessage<PaymentFailed>> messages, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
