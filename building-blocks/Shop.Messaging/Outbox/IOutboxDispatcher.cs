namespace Shop.Messaging.Outbox;

/// <summary>Receives the outbox rows of each commit, to publish them at once instead of waiting for the relay.</summary>
internal interface IOutboxDispatcher
{
    /// <summary>Called after the transaction that wrote <paramref name="messages"/> committed; never blocks.</summary>
    void Committed(IReadOnlyList<OutboxMessage> messages);
}
