namespace Shop.Messaging;

/// <summary>
/// A broker topology: the exchanges events are published to and the consumer queues bound to them, and around them the
/// dead-letter exchange with one <c>.dlq</c> per consumer queue and the producers' alternate exchange with its queue.
/// Every service declares the whole of it on start (declarations are idempotent), so a producer never publishes into
/// an exchange whose consumer queue does not exist yet. The apps compose it and hand it to the messaging libraries,
/// which know none of its names.
/// </summary>
public sealed class MessageTopology
{
    /// <summary>A consumer queue's dead-letter queue is named after it with this suffix.</summary>
    public const string DeadLetterSuffix = ".dlq";

    /// <param name="deadLetterExchange">Where dead letters go, routed by the name of the queue they came from.</param>
    /// <param name="unroutedExchange">Alternate exchange of the producers: an event no queue is bound for is kept, never dropped.</param>
    /// <param name="unroutedQueue">The queue the alternate exchange fills.</param>
    /// <param name="deliveryLimit">Deliveries without an ack before a quorum queue dead-letters a message.</param>
    /// <param name="events">Where each event type is published.</param>
    /// <param name="queues">The consumer queues and the routing keys each is bound to.</param>
    public MessageTopology(string deadLetterExchange, string unroutedExchange, string unroutedQueue, int deliveryLimit,
        IReadOnlyList<EventRoute> events, IReadOnlyList<QueueBinding> queues)
    {
        DeadLetterExchange = deadLetterExchange;
        UnroutedExchange = unroutedExchange;
        UnroutedQueue = unroutedQueue;
        DeliveryLimit = deliveryLimit;
        Events = events;
        Queues = queues;
        DurableQueues =
        [
            new(unroutedQueue, DurableQueueRole.Unrouted, unroutedExchange, [""]),
            .. queues.SelectMany(binding => new DurableQueue[]
            {
                new(binding.Queue + DeadLetterSuffix, DurableQueueRole.DeadLetter, deadLetterExchange, [binding.Queue]),
                new(binding.Queue, DurableQueueRole.Consumer, binding.Exchange, binding.RoutingKeys),
            }),
        ];
    }

    public string DeadLetterExchange { get; }

    public string UnroutedExchange { get; }

    public string UnroutedQueue { get; }

    /// <summary>
    /// Deliveries of one message without an ack before a quorum queue dead-letters it. Classic queues have no such limit.
    /// </summary>
    public int DeliveryLimit { get; }

    public IReadOnlyList<EventRoute> Events { get; }

    public IReadOnlyList<QueueBinding> Queues { get; }

    /// <summary>Every durable queue, in declaration order: a dead-letter queue before the queue that feeds it.</summary>
    public IReadOnlyList<DurableQueue> DurableQueues { get; }

    /// <summary>The exchanges events are published to, each once.</summary>
    public IEnumerable<string> EventExchanges => Events.Select(e => e.Exchange).Distinct();

    /// <summary>
    /// The arguments a durable queue is declared with. The type is always explicit, so a queue that exists with the
    /// other type fails the declaration (PRECONDITION_FAILED) instead of being used as it is. A consumer queue's dead
    /// letters go to the dead-letter exchange under its own name, reaching its <c>.dlq</c>: the consumers publish
    /// their poison there themselves (with <c>x-death-reason</c>); a quorum queue also sends there, at least once, a
    /// message past <see cref="DeliveryLimit"/> (RabbitMQ's <c>x-death</c> header then says <c>delivery_limit</c>).
    /// </summary>
    public Dictionary<string, object?> QueueArguments(DurableQueue queue, QueueType type)
    {
        var arguments = new Dictionary<string, object?> { ["x-queue-type"] = type == QueueType.Quorum ? "quorum" : "classic" };
        switch (queue.Role)
        {
            case DurableQueueRole.Unrouted:
                // Kept for inspection, bounded: an event only short-lived queues bind for ends here routinely while none is bound.
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
    public Dictionary<string, object?> ProducerExchangeArguments() => new() { ["alternate-exchange"] = UnroutedExchange };

    public EventRoute RouteOf(Type eventType) =>
        Events.FirstOrDefault(e => e.EventType == eventType)
        ?? throw new InvalidOperationException($"{eventType.Name} has no route in the message topology.");

    /// <summary>The one consumer queue bound to <paramref name="route"/>'s exchange and routing key.</summary>
    public string QueueOf(EventRoute route) =>
        Queues.SingleOrDefault(q => q.Exchange == route.Exchange && q.RoutingKeys.Contains(route.RoutingKey))?.Queue
        ?? throw new InvalidOperationException($"No queue in the message topology receives {route.TypeName}.");
}
