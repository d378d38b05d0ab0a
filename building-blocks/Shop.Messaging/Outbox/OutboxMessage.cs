namespace Shop.Messaging.Outbox;

/// <summary>
/// An event written in the same transaction as the state change that caused it; unpublished until the broker confirms it,
/// sent by the commit-time dispatch or, failing that, by the relay.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    /// <summary>Creation order; the relay publishes in this order.</summary>
    public long Sequence { get; set; }

    public required string Type { get; set; }
    public required string Exchange { get; set; }
    public required string RoutingKey { get; set; }
    public required string Payload { get; set; }
    public Guid CorrelationId { get; set; }
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
