namespace Shop.Messaging.Outbox;

/// <summary>Publishes unpublished outbox rows in creation order, marking each only after the broker confirmed it.</summary>
public interface IOutboxRelay
{
    Task<RelayResult> DrainAsync(CancellationToken cancellationToken);
}
