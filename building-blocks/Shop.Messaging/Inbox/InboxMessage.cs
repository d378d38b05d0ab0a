namespace Shop.Messaging.Inbox;

/// <summary>The record that a consumer applied a message; its primary key (message id, consumer) is the deduplication.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public required string Type { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}
