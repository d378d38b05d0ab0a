namespace Shop.Messaging;

/// <summary>Deletes published outbox rows and inbox records older than their retention.</summary>
public interface IMessagingCleanup
{
    Task<(int Outbox, int Inbox)> RunAsync(CancellationToken cancellationToken);
}
