using Shop.Messaging;

namespace Shop.Contracts;

/// <summary>
/// The broker topology every service declares on start (declarations are idempotent), so a producer never
/// publishes into an exchange whose consumer queue does not exist yet.
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

    public const string DeadLetterSuffix = ".dlq";

    public static readonly IReadOnlyList<EventRoute> Events =
    [
        new(typeof(OrderCreated), nameof(OrderCreated), OrdersExchange, "order.created"),
        new(typeof(OrderStatusChanged), nameof(OrderStatusChanged), OrdersExchange, "order.status-changed"),
        new(typeof(PaymentCompleted), nameof(PaymentCompleted), PaymentsExchange, "payment.completed"),
        new(typeof(PaymentFailed), nameof(PaymentFailed), PaymentsExchange, "payment.failed"),
    ];

    public static readonly IReadOnlyList<QueueBinding> Queues =
    [
        new(PaymentsOrderCreatedQueue, OrdersExchange, ["order.created"]),
        new(OrdersPaymentResultsQueue, PaymentsExchange, ["payment.completed", "payment.failed"]),
    ];

    /// <summary>
    /// Deliveries of one message without an ack before a quorum queue dead-letters it (RabbitMQ counts a delivery each
    /// time a message goes back to the queue: a consumer process killed while holding it, a lost connection). High
    /// enough that crashes and node failovers never dead-letter a good message; finite, so a message that kills its
    /// consumer every time ends in the DLQ instead of looping. Classic queues have no such limit.
    /// </summary>
    public const int DeliveryLimit = 20;

    /// <summary>Every durable queue, in declaration order: a dead-letter queue before the queue that feeds it.</summary>
    public static readonly IReadOnlyList<DurableQueue> DurableQueues =
    [
        new(UnroutedQueue, DurableQueueRole.Unrouted, UnroutedExchange, [""]),
        .. Queues.SelectMany(binding => new DurableQueue[]
        {
            new(binding.Queue + DeadLetterSuffix, DurableQueueRole.DeadLetter, DeadLetterExchange, [binding.Queue]),
            new(binding.Queue, DurableQueueRole.Consumer, binding.Exchange, binding.RoutingKeys),
        }),
    ];

    /// <summary>
    /// The arguments a durable queue is declared with. The type is always explicit, so a queue that exists with the
    /// other type fails the declaration (PRECONDITION_FAILED) instead of being used as it is. A consumer queue's dead
    /// letters go to the dead-letter exchange under its own name, reaching its <c>.dlq</c>: the consumers publish
    /// their poison there themselves (with <c>x-death-reason</c>); a quorum queue also sends there, at least once, a
    /// message past <see cref="DeliveryLimit"/> (RabbitMQ's <c>x-death</c> header then says <c>delivery_limit</c>).
    /// </summary>
    public static Dictionary<string, object?> QueueArguments(DurableQueue queue, QueueType type)
    {
        var arguments = new Dictionary<string, object?> { ["x-queue-type"] = type == QueueType.Quorum ? "quorum" : "classic" };
        switch (queue.Role)
        {
            case DurableQueueRole.Unrouted:
                // Kept for inspection, bounded: live pushes published while no gateway listens end here too.
                arguments["x-message-ttl"] = 86_400_000;
                arguments["x-max-length"] = 100_000;
                break;
            case DurableQueueRole.Consumer:
                arguments["x-dead-letter-exchange"] = DeadLetterExchange;
                arguments["x-dead-letter-routing-key"] = queue.Name;
                if (type == QueueType.Quorum)
                {
                    arguments["x-delivery-limit"] = DeliveryLimit;
                    // The message leaves this queue only once its dead-letter queue has it; RabbitMQ requires reject-publish for that.
                    arguments["x-dead-letter-strategy"] = "at-least-once";
                    arguments["x-overflow"] = "reject-publish";
                }
                break;
        }
        return arguments;
    }

    /// <summary>The arguments every producer exchange is declared with; a redeclaration with other arguments fails.</summary>
    public static Dictionary<string, object?> ProducerExchangeArguments() => new() { ["alternate-exchange"] = UnroutedExchange };

    public static EventRoute RouteOf(Type eventType) =>
        Events.FirstOrDefault(e => e.EventType == eventType)
        ?? throw new InvalidOperationException($"{eventType.Name} has no route in {nameof(ShopTopology)}.");

    public static EventRoute? RouteOf(string typeName) => Events.FirstOrDefault(e => e.TypeName == typeName);
}
