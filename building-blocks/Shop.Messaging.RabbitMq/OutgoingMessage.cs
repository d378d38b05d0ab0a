namespace Shop.Messaging.RabbitMq;

/// <summary>A message as the broker receives it: the outbox row's id is its <c>message_id</c>.</summary>
public sealed record OutgoingMessage(
    Guid MessageId,
    string Type,
    string Exchange,
    string RoutingKey,
    ReadOnlyMemory<byte> Body,
    Guid CorrelationId,
    string? TraceParent,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, string>? Headers = null);
