namespace Shop.Messaging.Outbox;

/// <summary>Records that the broker confirmed outbox rows, so neither the relay nor a later dispatch sends them again.</summary>
internal interface IOutboxMarker
{
    Task MarkPublishedAsync(IReadOnlyList<(Guid Id, DateTimeOffset ConfirmedAt)> confirmed, CancellationToken cancellationToken);
}
