namespace Shop.Messaging.Inbox;

internal interface IInboxProcessor
{
    /// <summary>Applies the messages that are new, all in one transaction, and commits.</summary>
    /// <returns>Per item, in order: <c>true</c> when applied now, <c>false</c> when applied before (a duplicate, also within the batch).</returns>
    Task<bool[]> ProcessAsync(IReadOnlyList<InboxItem> items, CancellationToken cancellationToken);
}
