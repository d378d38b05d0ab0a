using Shop.Messaging;

namespace Shop.Contracts;

/// <summary>
/// The shop's broker topology: its names, where each event is published and which queue receives it. Every service
/// declares the whole of it on start (<see cref="Topology"/>, handed to the messaging libraries at composition).
/// </summary>
public static class ShopTopology
{
    public const string OrdersExchange = "shop.orders";
    public const string PaymentsExchange = "shop.payments";

    /// <summary>Dead letters are routed by the name of the queue they came from.</summary>
    public const string DeadLetterExchange = "shop.dead-letter";

    /// <summary>Alternate exchange of the producers: an event no queue is bound for is kept here, never dropped.</summary>
    public const string UnroutedExchange = "shop.unrouted";
    public const string UnroutedQueue = "shop.unrouted";

    public const string PaymentsOrderCreatedQueue = "payments.order-created";
    public const string OrdersPaymentResultsQueue = "orders.payment-results";

    public const string DeadLetterSuffix = MessageTopology.DeadLetterSuffix;

    /// <summary>
    /// Deliveries of one message without an ack before a quorum queue dead-letters it (RabbitMQ counts a delivery each
    /// time a message goes back to the queue: a consumer process killed while holding it, a lost connection). High
    /// enough that crashes and node failovers never dead-letter a good message; finite, so a message that kills its
    /// consumer every time ends in the DLQ instead of looping. Classic queues have no such limit.
    /// </summary>
    public const int DeliveryLimit = 20;

    public static readonly MessageTopology Topology = new(
        DeadLetterExchange, UnroutedExchange, UnroutedQueue, DeliveryLimit,
        events:
        [
            new(typeof(OrderCreated), nameof(OrderCreated), OrdersExchange, "order.created"),
            new(typeof(OrderStatusChanged), nameof(OrderStatusChanged), OrdersExchange, "order.status-changed"),
            new(typeof(PaymentCompleted), nameof(PaymentCompleted), PaymentsExchange, "payment.completed"),
            new(typeof(PaymentFailed), nameof(PaymentFailed), PaymentsExchange, "payment.failed"),
        ],
        queues:
        [
            new(PaymentsOrderCreatedQueue, OrdersExchange, ["order.created"]),
            new(OrdersPaymentResultsQueue, PaymentsExchange, ["payment.completed", "payment.failed"]),
        ]);

    public static IReadOnlyList<EventRoute> Events => Topology.Events;

    public static IReadOnlyList<QueueBinding> Queues => Topology.Queues;

    /// <inheritdoc cref="MessageTopology.DurableQueues"/>
    public static IReadOnlyList<DurableQueue> DurableQueues => Topology.DurableQueues;

    /// <inheritdoc cref="MessageTopology.QueueArguments"/>
    public static Dictionary<string, object?> QueueArguments(DurableQueue queue, QueueType type) => Topology.QueueArguments(queue, type);

    public static EventRoute RouteOf(Type eventType) => Topology.RouteOf(eventType);
}
