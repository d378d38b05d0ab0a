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

    /// <summary>The arguments every producer exchange is declared with; a redeclaration with other arguments fails.</summary>
    public static Dictionary<string, object?> ProducerExchangeArguments() => new() { ["alternate-exchange"] = UnroutedExchange };

    public static EventRoute RouteOf(Type eventType) =>
        Events.FirstOrDefault(e => e.EventType == eventType)
        ?? throw new InvalidOperationException($"{eventType.Name} has no route in {nameof(ShopTopology)}.");

    public static EventRoute? RouteOf(string typeName) => Events.FirstOrDefault(e => e.TypeName == typeName);
}
