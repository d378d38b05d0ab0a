namespace Shop.Messaging;

/// <summary>A durable queue of the topology, fed by one exchange through the routing keys it is bound with.</summary>
public sealed record DurableQueue(string Name, DurableQueueRole Role, string Exchange, IReadOnlyList<string> RoutingKeys);

public enum DurableQueueRole
{
    /// <summary>A consumer's queue: what it cannot apply goes to its dead-letter queue.</summary>
    Consumer,

    /// <summary>The <c>.dlq</c> of a consumer queue, bound to the dead-letter exchange by that queue's name.</summary>
    DeadLetter,

    /// <summary>Where the producers' alternate exchange keeps events no queue was bound for.</summary>
    Unrouted,
}
