namespace Shop.Messaging;

/// <summary>How the durable queues of a <see cref="MessageTopology"/> are declared: RabbitMQ's <c>x-queue-type</c>.</summary>
public enum QueueType
{
    /// <summary>Replicated by Raft over the cluster's nodes: keeps its messages while a majority of them runs.</summary>
    Quorum,

    /// <summary>Kept by one node: its messages are gone with that node's disk.</summary>
    Classic,
}
